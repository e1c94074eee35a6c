import Authentication
import Domain
import SQLKit
import Storage

/// What the portal's administration pages change in a realm: users, their realm roles, client secrets. Every change is one
/// transaction with a change announcement, so caches (keys, roles) on every node forget what they knew.
extension RealmServices {
    public struct ListedUser: Sendable {
        public let user: User
        /// Directly assigned realm roles, by name.
        public let roles: [String]
    }

    public func users(realm: String) async throws -> [ListedUser] {
        try await database.read { sql in
            var listed: [ListedUser] = []
            for user in try await UserStore(sql).search(realm: realm, username: nil, search: nil, exact: false, first: 0, max: 1_000)
            where user.serviceAccountClientId == nil {
                listed.append(try await Self.listed(user, on: sql))
            }
            return listed
        }
    }

    /// One person of the realm (not a service account), with their roles.
    public func user(realm: String, id: String) async throws -> ListedUser? {
        try await database.read { sql in
            guard let user = try await UserStore(sql).find(realm: realm, id: id), user.serviceAccountClientId == nil else { return nil }
            return try await Self.listed(user, on: sql)
        }
    }

    private static func listed(_ user: User, on sql: any SQLDatabase) async throws -> ListedUser {
        ListedUser(user: user, roles: try await RoleStore(sql).direct(userId: user.id).filter { $0.clientId == nil }.map(\.name).sorted())
    }

    /// A new user who must choose a password at first login; returns the one-time password (shown once, never stored).
    public func createUser(realm: String, username: String, firstName: String?, lastName: String?, email: String?) async throws -> (User, String) {
        let password = SecretGenerator.alphanumeric(16)
        let hash = try await passwords.hash(password)
        let user = User(
            id: Identifiers.uuid(), realm: realm, username: username.lowercased(), email: email, firstName: firstName, lastName: lastName,
            mustChangePassword: true, createdAt: clock.now)
        try await change { sql in
            guard try await UserStore(sql).credentials(realm: realm, username: user.username) == nil else { throw StorageError.duplicate }
            try await UserStore(sql).insert(user, passwordHash: hash)
            try await UserProvisioner(clock: clock).grant([NexusOneRoles.defaultComposite(realm: realm)], to: user.id, realm: realm, on: sql)
        }
        return (user, password)
    }

    /// Disabling ends the user's sessions and refuses their tokens; their keys stop working at once (the caches are
    /// emptied everywhere).
    public func setEnabled(_ enabled: Bool, realm: String, userId: String) async throws {
        let now = clock.now
        try await change { sql in
            guard var user = try await UserStore(sql).find(realm: realm, id: userId) else { throw APIError.notFound("No such user or role") }
            user.enabled = enabled
            try await UserStore(sql).update(user)
            if !enabled { try await AdminUsersController.endAccess(of: user.id, now: now, on: sql) }
        }
    }

    public func setRealmRole(_ name: String, granted: Bool, realm: String, userId: String) async throws {
        try await change { sql in
            guard try await UserStore(sql).find(realm: realm, id: userId) != nil, let role = try await RoleStore(sql).find(realm: realm, name: name)
            else { throw APIError.notFound("No such user or role") }
            if granted { try await RoleStore(sql).grant(userId: userId, roleId: role.id) } else { try await RoleStore(sql).revoke(userId: userId, roleId: role.id) }
        }
    }

    public func clients(realm: String) async throws -> [Client] {
        try await database.read { sql in try await ClientStore(sql).all(realm: realm) }
    }

    /// A new secret for a confidential client (returned once, stored sealed); the old one stops working at once.
    public func regenerateClientSecret(realm: String, clientInternalId: String) async throws -> (Client, String) {
        let secret = SecretGenerator.alphanumeric()
        let sealed = try secrets.seal(secret)
        let client = try await database.read { sql in try await ClientStore(sql).find(realm: realm, id: clientInternalId)?.client }
        guard let client, !client.isPublic else { throw APIError.notFound("No such confidential client") }
        try await change { sql in try await ClientStore(sql).setSecret(id: client.id, sealedSecret: sealed) }
        return (client, secret)
    }

    private func change(_ body: @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let database = self.database
        try await database.transaction { sql in
            try await body(sql)
            try await database.announceChange(on: sql)
        }
        changes.notify()
    }
}
