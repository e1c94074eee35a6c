import Domain
import SQLKit
import Storage

/// Reading a realm's users, for its administrators.
public struct Users: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    /// A person of the realm and the realm roles assigned to them directly, by name.
    public struct Listed: Sendable {
        public let user: User
        public let roles: [String]
    }

    /// `view-users`, or `view-members` on one of the user's groups.
    public func find(_ actor: Principal, realm: String, id: String) async throws -> User {
        let found = try await database.read { sql in
            try await GroupPermissions.authorize(actor, realm: realm, .viewUsers, member: id, .viewMembers, on: sql)
            return try await UserStore(sql).find(realm: realm, id: id)
        }
        guard let user = found else {
            throw AdministrationError.notFound(.user)
        }
        return user
    }

    /// A user (or service account) by username, case-insensitively.
    public func find(_ actor: Principal, realm: String, username: String) async throws -> User? {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await database.read { sql in try await UserStore(sql).find(realm: realm, username: username) }
    }

    public func search(_ actor: Principal, realm: String, _ filter: UserFilter, window: ListWindow) async throws -> [User] {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await database.read { sql in try await UserStore(sql).search(realm: realm, filter, window: window) }
    }

    public func count(_ actor: Principal, realm: String, _ filter: UserFilter) async throws -> Int {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await database.read { sql in try await UserStore(sql).count(realm: realm, filter) }
    }

    /// Every person of the realm (service accounts left out) with their realm roles: the portal's user list.
    public func people(_ actor: Principal, realm: String) async throws -> [Listed] {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await database.read { sql in
            var listed: [Listed] = []
            for user in try await UserStore(sql).search(realm: realm, UserFilter(), window: ListWindow(max: 1_000)) {
                listed.append(Listed(user: user, roles: try await Self.realmRoles(of: user.id, on: sql)))
            }
            return listed
        }
    }

    /// One person of the realm (not a service account) with their realm roles.
    public func person(_ actor: Principal, realm: String, id: String) async throws -> Listed {
        let user = try await find(actor, realm: realm, id: id)
        guard user.serviceAccountClientId == nil else { throw AdministrationError.notFound(.user) }
        return Listed(user: user, roles: try await database.read { sql in try await Self.realmRoles(of: user.id, on: sql) })
    }

    private static func realmRoles(of userId: String, on sql: any SQLDatabase) async throws -> [String] {
        try await RoleStore(sql).direct(userId: userId).filter { $0.clientId == nil }.map(\.name).sorted()
    }
}
