import Domain
import SQLKit

/// Domains and their tables (in the order given).
public struct DomainStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func insert(_ domain: DataDomain) async throws {
        try await sql.insert(into: "domains").columns("realm", "name", "description", "created_at")
            .values(SQLBind(domain.realm), SQLBind(domain.name), SQLBind(domain.description), SQLBind(domain.createdAt)).run()
        try await insertTables(of: domain)
    }

    private func insertTables(of domain: DataDomain) async throws {
        for (position, table) in domain.tables.enumerated() {
            try await sql.insert(into: "domain_tables").columns("realm", "domain", "table_name", "position")
                .values(SQLBind(domain.realm), SQLBind(domain.name), SQLBind(table), SQLBind(position)).run()
        }
    }

    /// Gives an existing domain a new description and table list.
    public func replace(_ domain: DataDomain) async throws {
        try await sql.update("domains").set("description", to: domain.description).where("realm", .equal, domain.realm)
            .where("name", .equal, domain.name).run()
        try await sql.delete(from: "domain_tables").where("realm", .equal, domain.realm).where("domain", .equal, domain.name).run()
        try await insertTables(of: domain)
    }

    public func all(realm: String) async throws -> [DataDomain] {
        let rows = try await sql.select().columns("name", "description", "created_at").from("domains").where("realm", .equal, realm)
            .orderBy("name").all()
        let tableRows = try await sql.select().columns("domain", "table_name").from("domain_tables").where("realm", .equal, realm)
            .orderBy("domain").orderBy("position").all()
        var tables: [String: [String]] = [:]
        for row in tableRows { tables[try row.decode(column: "domain", as: String.self), default: []].append(try row.decode(column: "table_name", as: String.self)) }
        return try rows.map { row in
            let name = try row.decode(column: "name", as: String.self)
            return DataDomain(
                realm: realm, name: name, description: try row.decode(column: "description", as: String.self), tables: tables[name] ?? [],
                createdAt: try row.decode(column: "created_at", as: Int.self))
        }
    }

    public func find(realm: String, name: String) async throws -> DataDomain? {
        try await all(realm: realm).first { $0.name == name }
    }

    /// Removes the domain, its table list and its suggestions (saved queries keep their own copy of the SQL).
    public func delete(realm: String, name: String) async throws {
        for table in ["domain_tables", "suggestions"] {
            try await sql.delete(from: table).where("realm", .equal, realm).where("domain", .equal, name).run()
        }
        try await sql.delete(from: "domains").where("realm", .equal, realm).where("name", .equal, name).run()
    }
}
