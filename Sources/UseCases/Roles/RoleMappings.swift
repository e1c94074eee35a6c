import Domain
import SQLKit
import Storage

/// Reading who holds which role, for administrators: a user's or a group's own mappings, what they hold with composites
/// (and, for a group, the groups above it), and which groups a role is mapped to.
public struct RoleMappings: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    /// The roles mapped to the holder itself (admin REST `…/role-mappings`).
    public func direct(_ actor: Principal, realm: String, holder: RoleHolder) async throws -> [Role] {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await database.read { sql in
            try await Self.requireHolder(holder, realm: realm, on: sql)
            switch holder {
            case .user(let id): return try await RoleStore(sql).direct(userId: id)
            case .group(let id): return try await GroupStore(sql).roles(ofGroups: [id])
            }
        }
    }

    /// Every role the holder gives, composites expanded (admin REST `…/role-mappings/realm/composite`).
    public func effective(_ actor: Principal, realm: String, holder: RoleHolder) async throws -> [Role] {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await database.read { sql in
            try await Self.requireHolder(holder, realm: realm, on: sql)
            switch holder {
            case .user(let id): return try await EffectiveRoles.read(userId: id, on: sql).all
            case .group(let id): return try await EffectiveRoles.read(groupId: id, on: sql).all
            }
        }
    }

    /// The groups the role is mapped to directly (admin REST `…/roles/{name}/groups`).
    public func groups(_ actor: Principal, realm: String, clientInternalId: String? = nil, roleName: String, window: ListWindow) async throws -> [Group] {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await database.read { sql in
            guard let role = try await RoleStore(sql).find(realm: realm, clientId: clientInternalId, name: roleName) else {
                throw AdministrationError.notFound(.role)
            }
            return try await GroupStore(sql).groups(withRole: role.id, window: window)
        }
    }

    /// The user or group must be the realm's: `User not found` or `Could not find group by id` otherwise.
    static func requireHolder(_ holder: RoleHolder, realm: String, on sql: any SQLDatabase) async throws {
        switch holder {
        case .user(let id):
            guard try await UserStore(sql).find(realm: realm, id: id) != nil else { throw AdministrationError.notFound(.user) }
        case .group(let id):
            guard try await GroupStore(sql).find(realm: realm, id: id) != nil else { throw AdministrationError.notFound(.group) }
        }
    }
}
