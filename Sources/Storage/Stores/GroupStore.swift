import Domain
import SQLKit

/// Groups of a realm (a tree), their members and the roles mapped to them. Paths are worked out on reading, from the
/// names up the tree, so renaming a group needs no rewrite below it.
public struct GroupStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    struct Row: Codable {
        var id: String
        var realm: String
        var parentId: String?
        var name: String
        var attributes: String?
    }

    /// A sibling of the same name is `StorageError.duplicate` (the index `groups_sibling_names` decides).
    public func insert(id: String, realm: String, parentId: String?, name: String, attributes: [String: [String]]) async throws {
        let row = Row(id: id, realm: realm, parentId: parentId, name: name, attributes: AttributesColumn.encode(attributes))
        try await sql.insert(into: "groups").model(row, with: Codecs.encoder).run()
    }

    public func update(id: String, name: String, attributes: [String: [String]]) async throws {
        try await sql.update("groups").set("name", to: name).set("attributes", to: AttributesColumn.encode(attributes)).where("id", .equal, id).run()
    }

    /// Deletes the group with everything below it, their memberships and role mappings (the foreign keys cascade).
    public func delete(id: String) async throws {
        try await sql.delete(from: "groups").where("id", .equal, id).run()
    }

    public func find(realm: String, id: String) async throws -> Group? {
        try await groups(select().where("realm", .equal, realm).where("id", .equal, id)).first
    }

    /// The realm's groups among `ids`.
    public func find(realm: String, ids: [String]) async throws -> [Group] {
        guard !ids.isEmpty else { return [] }
        return try await groups(select().where("realm", .equal, realm).where("id", .in, SQLBind.group(ids)))
    }

    /// The group named `name` directly below `parentId` (top level when nil).
    public func child(realm: String, parentId: String?, named name: String) async throws -> Group? {
        try await groups(below(realm: realm, parentId: parentId).where("name", .equal, name)).first
    }

    /// The groups directly below `parentId` (top level when nil) whose name matches `search`, by name, within `window`.
    public func children(realm: String, parentId: String?, search: TextMatch? = nil, window: ListWindow = .all) async throws -> [Group] {
        let query = below(realm: realm, parentId: parentId)
        if let search { query.where(search.expression(SQLColumn("name"))) }
        return try await groups(query.orderBy("name").orderBy("id").window(window))
    }

    /// Every group of the realm whose name matches `search` (every group when nil), at any depth.
    public func matching(realm: String, search: TextMatch?) async throws -> [Group] {
        let query = select().where("realm", .equal, realm)
        if let search { query.where(search.expression(SQLColumn("name"))) }
        return try await groups(query.orderBy("name"))
    }

    /// How many groups the realm has (`topOnly`: at the top level) whose name matches `search`.
    public func count(realm: String, search: TextMatch? = nil, topOnly: Bool = false) async throws -> Int {
        let query = sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("groups").where("realm", .equal, realm)
        if topOnly { query.where("parent_id", .is, SQLLiteral.null) }
        if let search { query.where(search.expression(SQLColumn("name"))) }
        return try await query.first(decodingColumn: "n", as: Int.self) ?? 0
    }

    // MARK: Members

    /// Adding a member again changes nothing (also when two adds meet).
    public func addMember(groupId: String, userId: String) async throws {
        try await sql.insert(into: "group_members").columns("group_id", "user_id").values(SQLBind(groupId), SQLBind(userId)).ignoringConflicts().run()
    }

    public func removeMember(groupId: String, userId: String) async throws {
        try await sql.delete(from: "group_members").where("group_id", .equal, groupId).where("user_id", .equal, userId).run()
    }

    /// The group's direct members, by username, within `window`.
    public func members(groupId: String, window: ListWindow) async throws -> [User] {
        try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("users"))).from("users")
            .join("group_members", on: SQLColumn("id", table: "users"), .equal, SQLColumn("user_id", table: "group_members"))
            .where(SQLColumn("group_id", table: "group_members"), .equal, SQLBind(groupId))
            .orderBy(SQLColumn("username", table: "users")).window(window)
            .all(decoding: UserStore.Row.self, with: Codecs.decoder).map(\.user)
    }

    /// The groups a user is a direct member of, by name, within `window`.
    public func groups(ofUser userId: String, search: TextMatch? = nil, window: ListWindow = .all) async throws -> [Group] {
        let query = select().join("group_members", on: SQLColumn("id", table: "groups"), .equal, SQLColumn("group_id", table: "group_members"))
            .where(SQLColumn("user_id", table: "group_members"), .equal, SQLBind(userId))
        if let search { query.where(search.expression(SQLColumn("name", table: "groups"))) }
        return try await groups(query.orderBy(SQLColumn("name", table: "groups")).orderBy(SQLColumn("id", table: "groups")).window(window))
    }

    public func countGroups(ofUser userId: String, search: TextMatch? = nil) async throws -> Int {
        let query = sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("group_members")
            .join("groups", on: SQLColumn("id", table: "groups"), .equal, SQLColumn("group_id", table: "group_members"))
            .where(SQLColumn("user_id", table: "group_members"), .equal, SQLBind(userId))
        if let search { query.where(search.expression(SQLColumn("name", table: "groups"))) }
        return try await query.first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// The ids of the groups a user is in, with every group above them: whose roles the user holds.
    public func lineage(ofUser userId: String) async throws -> [String] {
        let direct = try await sql.select().column("group_id").from("group_members").where("user_id", .equal, userId)
            .all(decodingColumn: "group_id", as: String.self)
        return try await withAncestors(direct)
    }

    /// `ids` and every group above them.
    public func withAncestors(_ ids: [String]) async throws -> [String] {
        var seen = Set(ids)
        var frontier = ids
        while !frontier.isEmpty {
            let parents = try await sql.select().column("parent_id").from("groups").where("id", .in, SQLBind.group(frontier))
                .where("parent_id", .isNot, SQLLiteral.null).all(decodingColumn: "parent_id", as: String.self)
            frontier = parents.filter { seen.insert($0).inserted }
        }
        return seen.sorted()
    }

    // MARK: Role mappings

    /// Mapping a role again changes nothing (also when two grants meet).
    public func grant(groupId: String, roleId: String) async throws {
        try await sql.insert(into: "group_roles").columns("group_id", "role_id").values(SQLBind(groupId), SQLBind(roleId)).ignoringConflicts().run()
    }

    public func revoke(groupId: String, roleId: String) async throws {
        try await sql.delete(from: "group_roles").where("group_id", .equal, groupId).where("role_id", .equal, roleId).run()
    }

    /// The roles mapped directly to any of the groups (not expanded).
    public func roles(ofGroups groupIds: [String]) async throws -> [Role] {
        guard !groupIds.isEmpty else { return [] }
        return try await sql.select().distinct().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("roles"))).from("roles")
            .join("group_roles", on: SQLColumn("id", table: "roles"), .equal, SQLColumn("role_id", table: "group_roles"))
            .where(SQLColumn("group_id", table: "group_roles"), .in, SQLBind.group(groupIds))
            .orderBy(SQLColumn("name", table: "roles"))
            .all(decoding: RoleStore.Row.self, with: Codecs.decoder).map { $0.role() }
    }

    /// The groups a role is mapped to directly, by name, within `window`.
    public func groups(withRole roleId: String, window: ListWindow) async throws -> [Group] {
        try await groups(
            select().join("group_roles", on: SQLColumn("id", table: "groups"), .equal, SQLColumn("group_id", table: "group_roles"))
                .where(SQLColumn("role_id", table: "group_roles"), .equal, SQLBind(roleId))
                .orderBy(SQLColumn("name", table: "groups")).window(window))
    }

    // MARK: Reading rows into groups

    private func select() -> SQLSelectBuilder {
        sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("groups"))).from("groups")
    }

    private func below(realm: String, parentId: String?) -> SQLSelectBuilder {
        let query = select().where("realm", .equal, realm)
        if let parentId { query.where("parent_id", .equal, parentId) } else { query.where("parent_id", .is, SQLLiteral.null) }
        return query
    }

    /// The rows of `query` with their paths (names up the tree, read a level at a time for all rows at once) and how
    /// many groups sit below each.
    private func groups(_ query: SQLSelectBuilder) async throws -> [Group] {
        let rows = try await query.all(decoding: Row.self, with: Codecs.decoder)
        guard !rows.isEmpty else { return [] }
        var known: [String: (parentId: String?, name: String)] = [:]
        for row in rows { known[row.id] = (row.parentId, row.name) }
        var missing = Set(rows.compactMap(\.parentId)).subtracting(known.keys)
        while !missing.isEmpty {
            let parents = try await sql.select().columns("id", "parent_id", "name").from("groups").where("id", .in, SQLBind.group(Array(missing)))
                .all(decoding: Row.Link.self, with: Codecs.decoder)
            for parent in parents { known[parent.id] = (parent.parentId, parent.name) }
            missing = Set(parents.compactMap(\.parentId)).subtracting(known.keys)
        }
        let counts = try await sql.select().column("parent_id").column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("groups")
            .where("parent_id", .in, SQLBind.group(rows.map(\.id))).groupBy("parent_id")
            .all(decoding: Row.ChildCount.self, with: Codecs.decoder)
        let childCounts = Dictionary(counts.map { ($0.parentId, $0.n) }, uniquingKeysWith: +)
        return rows.map { row in
            var names: [String] = []
            var cursor: String? = row.id
            while let id = cursor, let link = known[id], names.count <= known.count {
                names.append(link.name)
                cursor = link.parentId
            }
            return Group(
                id: row.id, realm: row.realm, parentId: row.parentId, name: row.name, path: "/" + names.reversed().joined(separator: "/"),
                attributes: AttributesColumn.decode(row.attributes), subGroupCount: childCounts[row.id] ?? 0)
        }
    }
}

extension GroupStore.Row {
    struct Link: Codable {
        var id: String
        var parentId: String?
        var name: String
    }

    struct ChildCount: Codable {
        var parentId: String
        var n: Int
    }
}
