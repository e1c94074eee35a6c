import Domain
import SQLKit

/// Scope mappings: the roles a client scope or a client names (`scope_role_mappings`), Keycloak's "role scope".
public struct ScopeMappingStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func roles(owner: MapperOwner) async throws -> [Role] {
        try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("roles"))).from("roles")
            .join("scope_role_mappings", on: SQLColumn("id", table: "roles"), .equal, SQLColumn("role_id", table: "scope_role_mappings"))
            .where(SQLColumn(SQLIdentifier(owner.column), table: SQLIdentifier("scope_role_mappings")), .equal, SQLBind(owner.id))
            .orderBy(SQLColumn("name", table: "roles"))
            .all(decoding: RoleStore.Row.self, with: Codecs.decoder).map { $0.role() }
    }

    /// Adding a role the owner already names changes nothing.
    public func add(roleId: String, owner: MapperOwner) async throws {
        try await sql.insert(into: "scope_role_mappings").columns(SQLIdentifier(owner.column), SQLIdentifier("role_id"))
            .values(SQLBind(owner.id), SQLBind(roleId)).ignoringConflicts().run()
    }

    public func remove(roleId: String, owner: MapperOwner) async throws {
        try await sql.delete(from: "scope_role_mappings").where(SQLIdentifier(owner.column), .equal, SQLBind(owner.id)).where("role_id", .equal, roleId).run()
    }
}
