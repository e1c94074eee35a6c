import Domain
import Foundation

/// What the NexusOne deployment script does, inside an existing Keycloak through its admin REST: the realm (if
/// missing), the NexusOne roles, the confidential API client with its service account and the default roles, the
/// portal's public client, and the realm's first administrator. Idempotent: what exists is left as it is, and a
/// secret or password is returned only when this run set it.
public struct KeycloakDeployment: Sendable {
    let admin: KeycloakAdminClient

    public init(admin: KeycloakAdminClient) { self.admin = admin }

    public struct Request: Sendable {
        public var realm: String
        public var clientId: String
        /// Used when the client is created or `rotateSecret`; nil when rotating lets Keycloak generate one.
        public var clientSecret: String
        public var rotateSecret: Bool
        public var adminUser: String
        /// The one-time password a new administrator gets.
        public var adminPassword: String
        /// Where the portal's sign-in returns (`…/portal/{realm}/callback`).
        public var portalRedirectURI: String

        public init(
            realm: String, clientId: String, clientSecret: String, rotateSecret: Bool, adminUser: String, adminPassword: String, portalRedirectURI: String
        ) {
            self.realm = realm
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.rotateSecret = rotateSecret
            self.adminUser = adminUser
            self.adminPassword = adminPassword
            self.portalRedirectURI = portalRedirectURI
        }
    }

    public struct Result: Sendable {
        public var issuer: String
        public var createdRealm: Bool
        public var clientSecret: String?
        public var serviceAccountUserId: String
        public var adminPassword: String?
    }

    public func callAsFunction(_ request: Request) async throws -> Result {
        let realm = "/" + KeycloakAdminClient.segment(request.realm)
        var createdRealm = false
        if try await admin.get(realm).status == 404 {
            try expect(try await admin.post("", json: RealmRepresentation(realm: request.realm)), [201, 409], "create realm \(request.realm)")
            createdRealm = true
        }
        for role in NexusOneRoles.all where try await admin.get("\(realm)/roles/\(KeycloakAdminClient.segment(role))").status == 404 {
            try expect(try await admin.post("\(realm)/roles", json: RoleRepresentation(name: role, description: "NexusOne role \(role)")), [201, 409], "create role \(role)")
        }
        var clientSecret: String?
        let clientUUID: String
        if let existing = try await client(realm: realm, clientId: request.clientId) {
            clientUUID = existing
            if request.rotateSecret {
                let answer = try await admin.post("\(realm)/clients/\(KeycloakAdminClient.segment(existing))/client-secret")
                clientSecret = try answer.json(SecretRepresentation.self).value
            }
        } else {
            let representation = ClientRepresentation(
                clientId: request.clientId, name: "NexusOne API client", publicClient: false, secret: request.clientSecret, serviceAccountsEnabled: true,
                standardFlowEnabled: false, directAccessGrantsEnabled: false, redirectUris: [])
            try expect(try await admin.post("\(realm)/clients", json: representation), [201], "create client \(request.clientId)")
            guard let created = try await client(realm: realm, clientId: request.clientId) else { throw KeycloakAdminClient.Failure("client \(request.clientId) missing after creation") }
            clientUUID = created
            clientSecret = request.clientSecret
        }
        let serviceAccount = try await admin.get("\(realm)/clients/\(KeycloakAdminClient.segment(clientUUID))/service-account-user")
        try expect(serviceAccount, [200], "read the service account of \(request.clientId)")
        let serviceAccountId = try serviceAccount.json(UserReference.self).id
        try await grant(NexusOneRoles.defaults + [NexusOneRoles.defaultComposite(realm: request.realm)], to: serviceAccountId, realm: realm)

        if try await client(realm: realm, clientId: Self.portalClientId) == nil {
            let portal = ClientRepresentation(
                clientId: Self.portalClientId, name: "NexusOne portal", publicClient: true, secret: nil, serviceAccountsEnabled: false,
                standardFlowEnabled: true, directAccessGrantsEnabled: false, redirectUris: [request.portalRedirectURI],
                attributes: ["pkce.code.challenge.method": "S256", "post.logout.redirect.uris": "+"])
            try expect(try await admin.post("\(realm)/clients", json: portal), [201, 409], "create client \(Self.portalClientId)")
        }

        var adminPassword: String?
        let query = "username=\(KeycloakAdminClient.segment(request.adminUser))&exact=true"
        if try await admin.get("\(realm)/users?\(query)").json([UserReference].self).isEmpty {
            let user = UserRepresentation(
                username: request.adminUser, credentials: [.init(type: "password", value: request.adminPassword, temporary: true)])
            try expect(try await admin.post("\(realm)/users", json: user), [201], "create user \(request.adminUser)")
            adminPassword = request.adminPassword
        }
        guard let adminId = try await admin.get("\(realm)/users?\(query)").json([UserReference].self).first?.id else {
            throw KeycloakAdminClient.Failure("user \(request.adminUser) missing after creation")
        }
        try await grant([NexusOneRoles.admin, NexusOneRoles.defaultComposite(realm: request.realm)] + NexusOneRoles.defaults, to: adminId, realm: realm)
        return Result(
            issuer: "\(admin.baseURL)/realms/\(request.realm)", createdRealm: createdRealm, clientSecret: clientSecret,
            serviceAccountUserId: serviceAccountId, adminPassword: adminPassword)
    }

    /// The portal's client in the external realm (as `nexusone-portal` is in ours).
    public static let portalClientId = "nexusone-portal"

    private func client(realm: String, clientId: String) async throws -> String? {
        let answer = try await admin.get("\(realm)/clients?clientId=\(KeycloakAdminClient.segment(clientId))")
        try expect(answer, [200], "list clients")
        return try answer.json([ClientReference].self).first { $0.clientId == clientId }?.id
    }

    /// Realm roles by name; Keycloak ignores a mapping that exists.
    private func grant(_ roles: [String], to userId: String, realm: String) async throws {
        var references: [RoleReference] = []
        for role in roles {
            let answer = try await admin.get("\(realm)/roles/\(KeycloakAdminClient.segment(role))")
            if answer.status == 200 { references.append(try answer.json(RoleReference.self)) }
        }
        let path = "\(realm)/users/\(KeycloakAdminClient.segment(userId))/role-mappings/realm"
        try expect(try await admin.post(path, json: references), [200, 204], "map roles")
    }

    private func expect(_ answer: KeycloakAdminClient.Answer, _ statuses: Set<Int>, _ what: String) throws {
        guard statuses.contains(answer.status) else { throw KeycloakAdminClient.Failure("Keycloak refused to \(what) (HTTP \(answer.status))") }
    }

    struct RealmRepresentation: Encodable {
        var realm: String
        var enabled = true
        var accessTokenLifespan = 600
    }

    struct RoleRepresentation: Encodable {
        var name: String
        var description: String
    }

    struct RoleReference: Codable {
        var id: String
        var name: String
    }

    struct ClientRepresentation: Encodable {
        var clientId: String
        var name: String
        var enabled = true
        var publicClient: Bool
        var secret: String?
        var serviceAccountsEnabled: Bool
        var standardFlowEnabled: Bool
        var directAccessGrantsEnabled: Bool
        var redirectUris: [String]
        var attributes: [String: String] = [:]
        var `protocol` = "openid-connect"
    }

    struct ClientReference: Decodable {
        var id: String
        var clientId: String
    }

    struct SecretRepresentation: Decodable {
        var value: String
    }

    struct UserRepresentation: Encodable {
        struct Credential: Encodable {
            var type: String
            var value: String
            var temporary: Bool
        }

        var username: String
        var enabled = true
        var credentials: [Credential]
    }

    struct UserReference: Decodable {
        var id: String
    }
}
