import Domain
import SQLKit
import Storage

/// The roles a user holds, as every credential carries them.
public struct HeldRoles: Sendable, Equatable {
    /// Every role held, realm and client roles alike, sorted by name.
    public let all: [Role]
    /// Realm role names, sorted (`realm_access.roles`, a principal's `roles`).
    public let realm: [String]
    /// Client role names, sorted, by the owning client's `clientId` (`resource_access`).
    public let clients: [String: [String]]

    /// The rights in administering the realm that the user's `realm-management` roles grant.
    public var adminRights: Set<AdminRight> { AdminRight.rights(fromRoles: clients[KeycloakRealmLayout.realmManagement] ?? []) }
}

/// The one place that works out which roles a user holds: mapped directly, through their groups (and the groups above
/// those), or reached through composite roles. Tokens of every grant, PSKs, portal sessions and the admin REST's
/// composite mappings all ask it; nothing else expands roles (direct mappings are read only where they are listed,
/// changed or exported). Callers that cache the answer (the PSK verifier, service accounts) empty their caches on every
/// change the change log announces, memberships and group mappings included.
public struct EffectiveRoles: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    public func callAsFunction(userId: String) async throws -> HeldRoles {
        try await database.read { sql in try await Self.read(userId: userId, on: sql) }
    }

    /// The same answer within a read the caller has opened (so a key and its owner's roles are one snapshot): the
    /// user's own mappings and those of their groups and every group above those.
    public static func read(userId: String, on sql: any SQLDatabase) async throws -> HeldRoles {
        let groups = GroupStore(sql)
        let direct = try await RoleStore(sql).direct(userId: userId) + (try await groups.roles(ofGroups: try await groups.lineage(ofUser: userId)))
        return try await expand(direct, on: sql)
    }

    /// What a member of the group holds through it: its mappings and those of every group above it.
    public static func read(groupId: String, on sql: any SQLDatabase) async throws -> HeldRoles {
        let groups = GroupStore(sql)
        return try await expand(try await groups.roles(ofGroups: try await groups.withAncestors([groupId])), on: sql)
    }

    /// `direct` with every role its composites reach, grouped as tokens carry them.
    private static func expand(_ direct: [Role], on sql: any SQLDatabase) async throws -> HeldRoles {
        let store = RoleStore(sql)
        var held: [String: Role] = [:]
        var frontier = direct
        while !frontier.isEmpty {
            for role in frontier { held[role.id] = role }
            frontier = try await store.children(ofAny: frontier.map(\.id)).filter { held[$0.id] == nil }
        }
        let all = held.values.sorted { $0.name < $1.name }
        var realm: [String] = []
        var clients: [String: [String]] = [:]
        var clientIds: [String: String] = [:]
        for role in all {
            guard let owner = role.clientId else {
                realm.append(role.name)
                continue
            }
            if clientIds[owner] == nil { clientIds[owner] = try await ClientStore(sql).find(realm: role.realm, id: owner)?.client.clientId ?? "" }
            guard let clientId = clientIds[owner], !clientId.isEmpty else { continue }
            clients[clientId, default: []].append(role.name)
        }
        return HeldRoles(all: all, realm: realm, clients: clients)
    }
}
