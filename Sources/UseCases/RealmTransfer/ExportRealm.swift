import Domain
import Foundation
import Secrets
import SQLKit
import Storage

/// Writes a realm in Keycloak's export format, read in one transaction so the file is one consistent moment: the whole
/// realm (`nexusone realm export`, the server administrator), with password hashes as `kc.sh export` writes them (they
/// are hashes, not passwords) and client secrets masked unless `includeSecrets`; or Keycloak's partial export
/// (`POST …/partial-export`), without users, secrets always masked, clients and groups with roles each when asked —
/// for whoever may view the realm (and its clients, when they are asked for).
public struct ExportRealm: Sendable {
    /// What a partial export holds besides the realm's settings.
    public struct Parts: Sendable {
        public var clients: Bool
        public var groupsAndRoles: Bool

        public init(clients: Bool, groupsAndRoles: Bool) { (self.clients, self.groupsAndRoles) = (clients, groupsAndRoles) }
    }

    let changes: ChangeLog
    let secrets: SecretBox

    public init(changes: ChangeLog, secrets: SecretBox) {
        self.changes = changes
        self.secrets = secrets
    }

    public func callAsFunction(_ actor: Principal, realm name: String, includeSecrets: Bool) async throws -> KeycloakRealmDocument {
        guard Administration.isServerAdmin(actor) || actor.credential == .operatorCLI else { throw AdministrationError.forbidden }
        return try await export(realm: name, includeSecrets: includeSecrets, parts: nil)
    }

    public func partial(_ actor: Principal, realm name: String, parts: Parts) async throws -> KeycloakRealmDocument {
        try Administration.authorize(actor, realm: name, .viewRealm)
        if parts.clients { try Administration.authorize(actor, realm: name, .viewClients) }
        return try await export(realm: name, includeSecrets: false, parts: parts)
    }

    /// `parts` nil: everything, users included.
    private func export(realm name: String, includeSecrets: Bool, parts: Parts?) async throws -> KeycloakRealmDocument {
        let secrets = self.secrets
        return try await changes.snapshot { sql in
            guard let realm = try await RealmStore(sql).find(name) else { throw AdministrationError.notFound(.realm) }
            var document = KeycloakRealmDocument(realm: realm.name)
            document.id = realm.name
            document.enabled = realm.enabled
            document.accessTokenLifespan = realm.accessTokenLifespan
            document.ssoSessionIdleTimeout = realm.refreshTokenLifespan
            document.notBefore = realm.notBefore
            document.defaultSignatureAlgorithm = realm.signingAlgorithm.rawValue
            document.passwordPolicy = realm.passwordPolicy.isEmpty ? nil : realm.passwordPolicy

            let records = try await ClientStore(sql).all(realm: realm.name)
            let clientIds = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0.clientId) })
            let roles = RealmExportRoles(sql: sql, clientIds: clientIds)
            if let defaults = try await RoleStore(sql).find(realm: realm.name, name: NexusOneRoles.defaultComposite(realm: realm.name)) {
                document.defaultRole = try await roles.exported(defaults)
            }
            if parts?.groupsAndRoles ?? true {
                document.roles = try await roles.all(realm: realm.name)
                document.groups = try await roles.groups(realm: realm.name)
            }
            if parts?.clients ?? true {
                var clients: [KeycloakRealmDocument.Client] = []
                for client in records {
                    let sealed = try await ClientStore(sql).find(realm: realm.name, id: client.id)?.sealedSecret
                    let secret = try sealed.map { includeSecrets ? try secrets.open($0) : KeycloakRealmDocument.maskedSecret }
                    clients.append(.init(client, secret: secret))
                }
                document.clients = clients
            }
            guard parts == nil else { return document }
            var users: [KeycloakRealmDocument.User] = []
            for credentials in try await UserStore(sql).everyone(realm: realm.name) {
                users.append(try await roles.exported(credentials))
            }
            document.users = users
            return document
        }
    }
}

/// Roles, composites and role mappings in the export's terms: client roles under their `clientId`.
private struct RealmExportRoles {
    let sql: any SQLDatabase
    let clientIds: [String: String]

    func all(realm: String) async throws -> KeycloakRealmDocument.Roles {
        var realmRoles: [KeycloakRealmDocument.Role] = []
        for role in try await RoleStore(sql).all(realm: realm) { realmRoles.append(try await exported(role)) }
        var clientRoles: [String: [KeycloakRealmDocument.Role]] = [:]
        for (internalId, clientId) in clientIds {
            var list: [KeycloakRealmDocument.Role] = []
            for role in try await RoleStore(sql).all(realm: realm, clientId: internalId) { list.append(try await exported(role)) }
            clientRoles[clientId] = list
        }
        return KeycloakRealmDocument.Roles(realm: realmRoles, client: clientRoles)
    }

    func exported(_ role: Role) async throws -> KeycloakRealmDocument.Role {
        let (realmNames, clientNames) = split(try await RoleStore(sql).children(of: role.id))
        let composite = !realmNames.isEmpty || !clientNames.isEmpty
        return KeycloakRealmDocument.Role(
            id: role.id, name: role.name, description: role.description, composite: composite,
            composites: composite ? .init(realm: realmNames.nilIfEmpty, client: clientNames.isEmpty ? nil : clientNames) : nil,
            clientRole: role.clientId != nil, containerId: role.clientId ?? role.realm)
    }

    func exported(_ credentials: UserStore.Credentials) async throws -> KeycloakRealmDocument.User {
        let user = credentials.user
        let (realmNames, clientNames) = split(try await RoleStore(sql).direct(userId: user.id))
        var exported = KeycloakRealmDocument.User(username: user.username)
        exported.id = user.id
        exported.createdTimestamp = user.createdAt.keycloakMilliseconds
        exported.enabled = user.enabled
        exported.emailVerified = user.emailVerified
        exported.firstName = user.firstName
        exported.lastName = user.lastName
        exported.email = user.email
        exported.attributes = user.attributes.isEmpty ? nil : user.attributes
        exported.requiredActions = user.mustChangePassword ? ["UPDATE_PASSWORD"] : []
        exported.realmRoles = realmNames
        exported.clientRoles = clientNames.isEmpty ? nil : clientNames
        exported.serviceAccountClientId = user.serviceAccountClientId.flatMap { clientIds[$0] }
        exported.groups = try await GroupStore(sql).groups(ofUser: user.id).map(\.path)
        if let hash = credentials.passwordHash, let stored = KeycloakPasswordHash.exporting(hash) {
            exported.credentials = [.password(stored, createdAt: credentials.passwordSetAt ?? user.createdAt)]
        } else {
            exported.credentials = []
        }
        return exported
    }

    /// The realm's group tree, top-level groups first, each group with its own role mappings.
    func groups(realm: String) async throws -> [KeycloakRealmDocument.Group] {
        let all = try await GroupStore(sql).matching(realm: realm, search: nil)
        let byParent = Dictionary(grouping: all, by: { $0.parentId ?? "" })
        func exported(_ group: Group) async throws -> KeycloakRealmDocument.Group {
            let (realmNames, clientNames) = split(try await GroupStore(sql).roles(ofGroups: [group.id]))
            var document = KeycloakRealmDocument.Group(name: group.name)
            document.id = group.id
            document.path = group.path
            document.attributes = group.attributes
            document.realmRoles = realmNames
            document.clientRoles = clientNames
            var below: [KeycloakRealmDocument.Group] = []
            for child in byParent[group.id] ?? [] { below.append(try await exported(child)) }
            document.subGroups = below
            return document
        }
        var top: [KeycloakRealmDocument.Group] = []
        for group in byParent[""] ?? [] { top.append(try await exported(group)) }
        return top
    }

    private func split(_ roles: [Role]) -> (realm: [String], clients: [String: [String]]) {
        var realm: [String] = []
        var clients: [String: [String]] = [:]
        for role in roles {
            if let owner = role.clientId {
                if let clientId = clientIds[owner] { clients[clientId, default: []].append(role.name) }
            } else {
                realm.append(role.name)
            }
        }
        return (realm, clients)
    }
}

extension KeycloakRealmDocument.Client {
    init(_ client: Client, secret: String?) {
        self.init(clientId: client.clientId)
        id = client.id
        name = client.name
        enabled = client.enabled
        publicClient = client.isPublic
        bearerOnly = false
        self.secret = secret
        redirectUris = client.redirectURIs
        standardFlowEnabled = client.standardFlowEnabled
        directAccessGrantsEnabled = client.directAccessGrantsEnabled
        serviceAccountsEnabled = client.serviceAccountsEnabled
        `protocol` = "openid-connect"
        clientAuthenticatorType = "client-secret"
    }
}

extension KeycloakRealmDocument.Credential {
    /// Keycloak's two JSON-in-a-string documents for a password.
    static func password(_ stored: KeycloakPasswordHash.Exported, createdAt: Int) -> Self {
        struct SecretData: Encodable {
            var value: String
            var salt: String
            var additionalParameters: [String: [String]] = [:]
        }
        struct CredentialData: Encodable {
            var hashIterations: Int
            var algorithm: String
            var additionalParameters: [String: [String]]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func text(_ value: some Encodable) -> String? { (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } }
        var credential = Self()
        credential.type = "password"
        credential.userLabel = nil
        credential.createdDate = createdAt.keycloakMilliseconds
        credential.secretData = text(SecretData(value: stored.value, salt: stored.salt))
        credential.credentialData = text(CredentialData(hashIterations: stored.iterations, algorithm: stored.algorithm, additionalParameters: stored.parameters))
        return credential
    }
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}
