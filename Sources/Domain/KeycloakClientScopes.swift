/// Keycloak 26's OpenID Connect client scopes, which every realm gets with their mappers: `default` ones every new
/// client holds (`acr`, `basic`, `email`, `profile`, `roles`, `web-origins`), `optional` ones a request names in
/// `scope` (`address`, `microprofile-jwt`, `offline_access`, `phone`). Only `email`, `profile`, `offline_access`,
/// `address`, `phone` and `microprofile-jwt` show in a token's `scope`, so a client's token says
/// `"scope": "email openid profile"` as Keycloak's does. (`organization` is left out: organizations are not offered.)
public enum KeycloakClientScopes {
    public struct Spec: Sendable {
        public let name: String
        public let kind: ScopeKind
        public let description: String
        public let includedInTokenScope: Bool
        public let mappers: [MapperSpec]

        public var attributes: [String: String] {
            ["include.in.token.scope": String(includedInTokenScope), "display.on.consent.screen": "true"]
        }
    }

    public struct MapperSpec: Sendable {
        public let name: String
        public let type: MapperType
        public let config: [String: String]
    }

    /// The claim flags Keycloak sets on most of its mappers.
    static let everywhere = ["access.token.claim": "true", "id.token.claim": "true", "userinfo.token.claim": "true", "introspection.token.claim": "true"]

    static func property(_ name: String, _ property: String, claim: String, type: String = "String") -> MapperSpec {
        MapperSpec(name: name, type: .userProperty, config: everywhere.merging(["user.attribute": property, "claim.name": claim, "jsonType.label": type]) { $1 })
    }

    static func attribute(_ name: String, _ attribute: String, claim: String, type: String = "String") -> MapperSpec {
        MapperSpec(name: name, type: .userAttribute, config: everywhere.merging(["user.attribute": attribute, "claim.name": claim, "jsonType.label": type]) { $1 })
    }

    public static let all: [Spec] = [
        Spec(
            name: "acr", kind: .default, description: "OpenID Connect scope for add acr (authentication context class reference) to the token",
            includedInTokenScope: false,
            mappers: [
                MapperSpec(name: "acr loa level", type: .acr, config: ["access.token.claim": "true", "id.token.claim": "true", "introspection.token.claim": "true"])
            ]),
        Spec(
            name: "address", kind: .optional, description: "OpenID Connect built-in scope: address", includedInTokenScope: true, mappers: []),
        Spec(
            name: "basic", kind: .default, description: "OpenID Connect scope for add all basic claims to the token", includedInTokenScope: false,
            mappers: [MapperSpec(name: "sub", type: .subject, config: ["access.token.claim": "true", "introspection.token.claim": "true"])]),
        Spec(
            name: "email", kind: .default, description: "OpenID Connect built-in scope: email", includedInTokenScope: true,
            mappers: [property("email", "email", claim: "email"), property("email verified", "emailVerified", claim: "email_verified", type: "boolean")]),
        Spec(
            name: "microprofile-jwt", kind: .optional, description: "Microprofile - JWT built-in scope", includedInTokenScope: true,
            mappers: [
                property("upn", "username", claim: "upn"),
                MapperSpec(
                    name: "groups", type: .realmRoles, config: everywhere.merging(["claim.name": "groups", "multivalued": "true", "jsonType.label": "String"]) { $1 }),
            ]),
        Spec(name: "offline_access", kind: .optional, description: "OpenID Connect built-in scope: offline_access", includedInTokenScope: true, mappers: []),
        Spec(
            name: "phone", kind: .optional, description: "OpenID Connect built-in scope: phone", includedInTokenScope: true,
            mappers: [
                attribute("phone number", "phoneNumber", claim: "phone_number"),
                attribute("phone number verified", "phoneNumberVerified", claim: "phone_number_verified", type: "boolean"),
            ]),
        Spec(
            name: "profile", kind: .default, description: "OpenID Connect built-in scope: profile", includedInTokenScope: true,
            mappers: [
                MapperSpec(name: "full name", type: .fullName, config: everywhere),
                property("family name", "lastName", claim: "family_name"),
                property("given name", "firstName", claim: "given_name"),
                property("username", "username", claim: "preferred_username"),
                attribute("middle name", "middleName", claim: "middle_name"), attribute("nickname", "nickname", claim: "nickname"),
                attribute("profile", "profile", claim: "profile"), attribute("picture", "picture", claim: "picture"),
                attribute("website", "website", claim: "website"), attribute("gender", "gender", claim: "gender"),
                attribute("birthdate", "birthdate", claim: "birthdate"), attribute("zoneinfo", "zoneinfo", claim: "zoneinfo"),
                attribute("locale", "locale", claim: "locale"), attribute("updated at", "updatedAt", claim: "updated_at", type: "long"),
            ]),
        Spec(
            name: "roles", kind: .default, description: "OpenID Connect scope for add user roles to the access token", includedInTokenScope: false,
            mappers: [
                MapperSpec(
                    name: "realm roles", type: .realmRoles,
                    config: ["access.token.claim": "true", "introspection.token.claim": "true", "claim.name": "realm_access.roles", "multivalued": "true",
                        "jsonType.label": "String"]),
                MapperSpec(
                    name: "client roles", type: .clientRoles,
                    config: ["access.token.claim": "true", "introspection.token.claim": "true", "claim.name": "resource_access.${client_id}.roles",
                        "multivalued": "true", "jsonType.label": "String"]),
                MapperSpec(name: "audience resolve", type: .audienceResolve, config: ["access.token.claim": "true", "introspection.token.claim": "true"]),
            ]),
        Spec(
            name: "web-origins", kind: .default, description: "OpenID Connect scope for add allowed web origins to the access token",
            includedInTokenScope: false,
            mappers: [
                MapperSpec(name: "allowed web origins", type: .allowedOrigins, config: ["access.token.claim": "true", "introspection.token.claim": "true"])
            ]),
    ]
}
