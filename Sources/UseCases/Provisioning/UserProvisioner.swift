import Domain
import SQLKit
import Storage

/// Creates users and service accounts with realm roles, inside the caller's transaction.
public struct UserProvisioner: Sendable {
    let clock: EpochClock

    public init(clock: EpochClock) { self.clock = clock }

    /// Creates the user unless one of that name exists; returns whether it was created.
    public func ensureUser(
        realm: String, username: String, passwordHash: String, mustChangePassword: Bool, roles: [String], on sql: any SQLDatabase
    ) async throws -> Bool {
        if try await UserStore(sql).credentials(realm: realm, username: username) != nil { return false }
        let user = User(
            id: Identifiers.uuid(), realm: realm, username: username.lowercased(), enabled: true, mustChangePassword: mustChangePassword,
            createdAt: clock.now)
        try await UserStore(sql).insert(user, passwordHash: passwordHash)
        try await grant(roles, to: user.id, realm: realm, on: sql)
        return true
    }

    /// The `service-account-<clientid>` user of a confidential client (`id`: an import keeps the one its file gives).
    @discardableResult
    public func createServiceAccount(for client: Client, roles: [String], id: String = Identifiers.uuid(), on sql: any SQLDatabase) async throws -> User {
        let user = User(
            id: id, realm: client.realm, username: client.serviceAccountUsername, enabled: true,
            serviceAccountClientId: client.id, createdAt: clock.now)
        try await UserStore(sql).insert(user, passwordHash: nil)
        try await grant(roles, to: user.id, realm: client.realm, on: sql)
        return user
    }

    public func grant(_ roles: [String], to userId: String, realm: String, on sql: any SQLDatabase) async throws {
        for name in roles {
            guard let role = try await RoleStore(sql).find(realm: realm, name: name) else { continue }
            try await RoleStore(sql).grant(userId: userId, roleId: role.id)
        }
    }
}
