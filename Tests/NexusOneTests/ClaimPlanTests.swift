import Domain
import Testing

@testable import Tokens

/// Protocol mappers without a server: Keycloak's default scopes give the claims tokens always carried, each mapper
/// type writes where its configuration says, and no mapper writes identity or roles.
@Suite("Client scopes and protocol mappers")
struct ClaimPlanTests {
    static let ida = User(
        id: "u-1", realm: "acme", username: "ida", email: "ida@example.com", firstName: "Ida", lastName: "Lund", createdAt: 1_700_000_000,
        attributes: ["department": ["finance", "audit"], "phoneNumber": ["+4712345678"]])

    static func source(groups: [String] = []) -> ClaimSource {
        ClaimSource(
            user: ida, clientId: "app", realmRoles: ["default-roles-acme", "offline_access"], clientRoles: ["account": ["view-profile"], "app": ["reader"]],
            groupPaths: groups)
    }

    static func all(_ plan: ClaimPlan, _ source: ClaimSource) -> (ClaimSet, ClaimSet, ClaimSet) {
        (plan.claims(source, optional: [], for: .access), plan.claims(source, optional: [], for: .id), plan.claims(source, optional: [], for: .userInfo))
    }

    @Test("Keycloak's default scopes give the claims and scope tokens carried before scopes were configurable")
    func defaults() {
        let plan = ClaimPlan.keycloakDefault
        let (access, id, userInfo) = Self.all(plan, Self.source())
        #expect(plan.scopeText(optional: []) == "email openid profile")
        #expect(access.realmRoles == ["default-roles-acme", "offline_access"])
        #expect(access.clientRoles == ["account": ["view-profile"], "app": ["reader"]])
        #expect(access.audiences == ["account"], "the roles scope's audience resolve names other clients, not the token's own")
        #expect(access.acr == "1" && id.acr == "1")
        for claims in [access, id, userInfo] {
            #expect(claims.email == "ida@example.com" && claims.emailVerified == false && claims.preferredUsername == "ida")
            #expect(claims.name == "Ida Lund" && claims.givenName == "Ida" && claims.familyName == "Lund")
        }
        #expect(id.realmRoles == nil && userInfo.realmRoles == nil, "roles go in the access token only")
        #expect(access.other.isEmpty, "no attribute the user lacks becomes a claim")
        let phone = plan.claims(Self.source(), optional: ["phone"], for: .access)
        #expect(phone.other["phone_number"] == .string("+4712345678"))
        #expect(plan.scopeText(optional: ["phone", "offline_access"]) == "email offline_access openid phone profile")
    }

    @Test("each mapper type writes where its configuration says, typed as it says")
    func mapperTypes() {
        let everywhere = ["access.token.claim": "true", "id.token.claim": "true", "userinfo.token.claim": "true"]
        let mappers = [
            ProtocolMapper(id: "1", name: "aud", type: MapperType.audience.rawValue, config: ["included.custom.audience": "https://api", "access.token.claim": "true"]),
            ProtocolMapper(
                id: "2", name: "tenant", type: MapperType.hardcodedClaim.rawValue,
                config: everywhere.merging(["claim.name": "tenant.id", "claim.value": "42", "jsonType.label": "long"]) { $1 }),
            ProtocolMapper(
                id: "3", name: "dept", type: MapperType.userAttribute.rawValue,
                config: ["access.token.claim": "true", "user.attribute": "department", "claim.name": "dept", "multivalued": "true"]),
            ProtocolMapper(
                id: "4", name: "groups", type: MapperType.groupMembership.rawValue,
                config: ["access.token.claim": "true", "claim.name": "groups", "full.path": "false"]),
            ProtocolMapper(
                id: "5", name: "app roles", type: MapperType.clientRoles.rawValue,
                config: ["access.token.claim": "true", "claim.name": "roles.${client_id}", "usermodel.clientRoleMapping.clientId": "app"]),
            ProtocolMapper(
                id: "6", name: "created", type: MapperType.userProperty.rawValue,
                config: ["userinfo.token.claim": "true", "user.attribute": "createdTimestamp", "claim.name": "created", "jsonType.label": "long"]),
            ProtocolMapper(id: "7", name: "sneaky", type: MapperType.hardcodedClaim.rawValue, config: ["claim.name": "sub", "claim.value": "admin"]),
        ]
        let plan = ClaimPlan(defaultScopes: [], optionalScopes: [], clientMappers: mappers)
        #expect(plan.needsGroups)
        let (access, id, userInfo) = Self.all(plan, Self.source(groups: ["/data/analysts"]))
        #expect(access.audiences == ["https://api"] && id.audiences.isEmpty)
        #expect(access.other["tenant"] == .object(["id": .int(42)]) && id.other["tenant"] == .object(["id": .int(42)]))
        #expect(access.other["dept"] == .array([.string("finance"), .string("audit")]))
        #expect(access.other["groups"] == .array([.string("analysts")]))
        #expect(access.other["roles"] == .object(["app": .string("reader")]))
        #expect(userInfo.other["created"] == .int(1_700_000_000_000) && access.other["created"] == nil)
        #expect(access.other["sub"] == nil, "a stored mapper that breaks the rules does nothing")
        #expect(plan.scopeText(optional: []) == "openid")
    }

    @Test("no mapper may write identity or roles; a claim path nests by dots")
    func rules() throws {
        for claim in ["sub", "iss", "exp", "aud", "azp", "scope", "realm_access", "realm_access.roles", "resource_access.x.roles", "preferred_username"] {
            #expect(throws: ValueError.self, "\(claim)") {
                try MapperRules.check(name: "x", type: .hardcodedClaim, config: ["claim.name": claim, "claim.value": "nx1_admin"])
            }
        }
        #expect(throws: ValueError.self) { try MapperRules.check(name: "x", type: .clientRoles, config: ["claim.name": "realm_access.roles"]) }
        #expect(throws: ValueError.self) { try MapperRules.check(name: "x", type: .userAttribute, config: ["claim.name": "preferred_username"]) }
        try MapperRules.check(name: "x", type: .userProperty, config: ["user.attribute": "username", "claim.name": "preferred_username"])
        try MapperRules.check(name: "x", type: .realmRoles, config: ["claim.name": "realm_access.roles"])
        try MapperRules.check(name: "x", type: .hardcodedClaim, config: [:])
        #expect(ClaimPath(#"a\.b.c"#)?.components == ["a.b", "c"])
        #expect(ClaimPath("a..b") == nil && ClaimPath("a.b.c.d.e.f.g.h.i") == nil)
    }

    @Test("realm-management rights: composites expand, managing includes viewing, nothing else is implied")
    func adminRights() {
        let viewUsers = AdminRight.rights(fromRoles: ["view-users", "unrelated"])
        #expect(viewUsers == [.viewUsers, .queryUsers, .queryGroups])
        #expect(AdminRight.rights(fromRoles: ["realm-admin"]) == Set(AdminRight.allCases))
        let manageUsers: Set<AdminRight> = [.manageUsers]
        #expect(AdminRight.viewUsers.isAllowed(by: manageUsers) && AdminRight.queryGroups.isAllowed(by: manageUsers))
        #expect(!AdminRight.manageRealm.isAllowed(by: manageUsers) && !AdminRight.viewClients.isAllowed(by: manageUsers))
        #expect(!AdminRight.manageUsers.isAllowed(by: viewUsers))
        #expect(AdminRight.createClient.isAllowed(by: [.manageClients]) && !AdminRight.manageClients.isAllowed(by: [.createClient]))
    }
}
