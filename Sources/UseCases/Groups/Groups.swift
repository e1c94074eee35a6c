import Domain
import SQLKit
import Storage

/// Reading a realm's groups and who is in them, for its administrators (Keycloak's `/groups`, `/group-by-path`,
/// `/users/{id}/groups`).
public struct Groups: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    /// A group with the branches below it that lead to what a search found (Keycloak's `populateHierarchy`).
    public struct Branch: Sendable, Equatable {
        public let group: Group
        /// Whether the group itself matched (the others lead to a match below).
        public let isMatch: Bool
        public let below: [Branch]
    }

    /// Top-level groups by name, within `window`.
    public func top(_ actor: Principal, realm: String, window: ListWindow) async throws -> [Group] {
        try Administration.authorize(actor, realm: realm, .queryGroups)
        return try await database.read { sql in try await GroupStore(sql).children(realm: realm, parentId: nil, window: window) }
    }

    /// The groups whose name matches `search` and whose attributes hold every pair of `attributes` (Keycloak's
    /// `GET /groups?search=` and `?q=`): the top-level groups above them, each with the branches down to the matches;
    /// `window` pages the top-level groups.
    public func search(_ actor: Principal, realm: String, _ search: TextMatch?, attributes: [String: String] = [:], window: ListWindow) async throws
        -> [Branch]
    {
        try Administration.authorize(actor, realm: realm, .queryGroups)
        return try await database.read { sql in
            let store = GroupStore(sql)
            // Attributes are matched here, not in SQL: they are JSON whose reading differs per database, and rare.
            let matches = try await store.matching(realm: realm, search: search).filter { group in
                attributes.allSatisfy { group.attributes[$0.key]?.contains($0.value) == true }
            }
            // Every group on the way from a match up to the top, read a level at a time for all matches at once, so the
            // branches can be drawn from memory.
            var onPath: [String: Group] = [:]
            for match in matches { onPath[match.id] = match }
            let above = try await store.withAncestors(matches.compactMap(\.parentId)).filter { onPath[$0] == nil }
            for group in try await store.find(realm: realm, ids: above) { onPath[group.id] = group }
            let byParent = Dictionary(grouping: onPath.values, by: { $0.parentId ?? "" })
            let matched = Set(matches.map(\.id))
            func branch(_ group: Group) -> Branch {
                Branch(group: group, isMatch: matched.contains(group.id), below: (byParent[group.id] ?? []).sorted { $0.name < $1.name }.map(branch))
            }
            return window.slice((byParent[""] ?? []).sorted { $0.name < $1.name }).map(branch)
        }
    }

    /// Every group of the realm, in the order of their paths (the portal's list, where the tree is read by path).
    public func all(_ actor: Principal, realm: String) async throws -> [Group] {
        try Administration.authorize(actor, realm: realm, .queryGroups)
        return try await database.read { sql in try await GroupStore(sql).matching(realm: realm, search: nil) }.sorted { $0.path < $1.path }
    }

    /// How many groups the realm has (`topOnly`: at the top level), or how many match `search`.
    public func count(_ actor: Principal, realm: String, search: TextMatch?, topOnly: Bool) async throws -> Int {
        try Administration.authorize(actor, realm: realm, .queryGroups)
        return try await database.read { sql in try await GroupStore(sql).count(realm: realm, search: search, topOnly: topOnly) }
    }

    /// `query-groups`, or the group's `view` permission.
    public func find(_ actor: Principal, realm: String, id: String) async throws -> Group {
        try await database.read { sql in
            try await GroupPermissions.authorize(actor, realm: realm, .queryGroups, group: id, .view, on: sql)
            return try await Self.require(id, realm: realm, on: sql)
        }
    }

    /// The group at `/top/child/…`; nil when any name on the way is missing.
    public func find(_ actor: Principal, realm: String, path: String) async throws -> Group? {
        try Administration.authorize(actor, realm: realm, .queryGroups)
        return try await database.read { sql in try await Self.find(path: path, realm: realm, on: sql) }
    }

    /// The group at `/top/child/…` within the caller's transaction.
    static func find(path: String, realm: String, on sql: any SQLDatabase) async throws -> Group? {
        let names = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !names.isEmpty, names.count <= Group.maximumDepth else { return nil }
        var found: Group?
        for name in names {
            guard let next = try await GroupStore(sql).child(realm: realm, parentId: found?.id, named: name) else { return nil }
            found = next
        }
        return found
    }

    /// The groups directly below a group, by name, within `window`.
    public func children(_ actor: Principal, realm: String, of id: String, search: TextMatch?, window: ListWindow) async throws -> [Group] {
        try Administration.authorize(actor, realm: realm, .queryGroups)
        return try await database.read { sql in
            _ = try await Self.require(id, realm: realm, on: sql)
            return try await GroupStore(sql).children(realm: realm, parentId: id, search: search, window: window)
        }
    }

    /// The group's direct members, by username.
    public func members(_ actor: Principal, realm: String, of id: String, window: ListWindow) async throws -> [User] {
        try await database.read { sql in
            try await GroupPermissions.authorize(actor, realm: realm, .viewUsers, group: id, .viewMembers, on: sql)
            _ = try await Self.require(id, realm: realm, on: sql)
            return try await GroupStore(sql).members(groupId: id, window: window)
        }
    }

    /// The groups a user is a direct member of, by name.
    public func of(_ actor: Principal, realm: String, userId: String, search: TextMatch?, window: ListWindow) async throws -> [Group] {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await database.read { sql in
            try await RoleMappings.requireHolder(.user(userId), realm: realm, on: sql)
            return try await GroupStore(sql).groups(ofUser: userId, search: search, window: window)
        }
    }

    public func count(_ actor: Principal, realm: String, userId: String, search: TextMatch?) async throws -> Int {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await database.read { sql in
            try await RoleMappings.requireHolder(.user(userId), realm: realm, on: sql)
            return try await GroupStore(sql).countGroups(ofUser: userId, search: search)
        }
    }

    /// A signed-in user's own groups (the portal's Settings), with no administrator needed.
    public func own(_ actor: Principal) async throws -> [Group] {
        try await database.read { sql in try await GroupStore(sql).groups(ofUser: actor.subject) }
    }

    static func require(_ id: String, realm: String, on sql: any SQLDatabase) async throws -> Group {
        guard let group = try await GroupStore(sql).find(realm: realm, id: id) else { throw AdministrationError.notFound(.group) }
        return group
    }
}
