import Domain
import SQLKit

/// Protocol mappers of a client scope or of a client (`protocol_mappers`).
public struct ProtocolMapperStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    struct Row: Codable {
        var id: String
        var scopeId: String?
        var clientId: String?
        var name, type: String
        var config: String?

        var mapper: ProtocolMapper {
            ProtocolMapper(id: id, name: name, type: type, config: config.flatMap { JSONColumn.value($0) } ?? [:])
        }
    }

    /// A name the owner has already throws `StorageError.duplicate`.
    public func insert(_ mapper: ProtocolMapper, owner: MapperOwner) async throws {
        let row = Row(
            id: mapper.id, scopeId: owner.column == "scope_id" ? owner.id : nil, clientId: owner.column == "client_id" ? owner.id : nil, name: mapper.name,
            type: mapper.type, config: mapper.config.isEmpty ? nil : JSONColumn.text(mapper.config))
        try await sql.insert(into: "protocol_mappers").model(row, with: Codecs.encoder).run()
    }

    public func update(_ mapper: ProtocolMapper, owner: MapperOwner) async throws {
        try await sql.update("protocol_mappers").set("name", to: mapper.name).set("type", to: mapper.type)
            .set("config", to: mapper.config.isEmpty ? nil : JSONColumn.text(mapper.config))
            .where("id", .equal, mapper.id).where(SQLIdentifier(owner.column), .equal, SQLBind(owner.id)).run()
    }

    /// Whether there was such a mapper of the owner.
    public func delete(id: String, owner: MapperOwner) async throws -> Bool {
        try await sql.delete(from: "protocol_mappers").where("id", .equal, id).where(SQLIdentifier(owner.column), .equal, SQLBind(owner.id))
            .returning("id").all().count > 0
    }

    public func find(id: String, owner: MapperOwner) async throws -> ProtocolMapper? {
        try await sql.select().column("*").from("protocol_mappers").where("id", .equal, id).where(SQLIdentifier(owner.column), .equal, SQLBind(owner.id))
            .first(decoding: Row.self, with: Codecs.decoder)?.mapper
    }

    public func count(owner: MapperOwner) async throws -> Int {
        try await sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("protocol_mappers")
            .where(SQLIdentifier(owner.column), .equal, SQLBind(owner.id)).first(decodingColumn: "n", as: Int.self) ?? 0
    }

    public func all(owner: MapperOwner) async throws -> [ProtocolMapper] {
        try await sql.select().column("*").from("protocol_mappers").where(SQLIdentifier(owner.column), .equal, SQLBind(owner.id)).orderBy("name")
            .all(decoding: Row.self, with: Codecs.decoder).map(\.mapper)
    }

    /// The mappers of any of these scopes, with the scope each belongs to.
    public func all(ofScopes scopeIds: [String]) async throws -> [(scopeId: String, mapper: ProtocolMapper)] {
        guard !scopeIds.isEmpty else { return [] }
        return try await sql.select().column("*").from("protocol_mappers").where("scope_id", .in, SQLBind.group(scopeIds)).orderBy("name")
            .all(decoding: Row.self, with: Codecs.decoder).map { ($0.scopeId ?? "", $0.mapper) }
    }
}

extension MapperOwner {
    /// The column of `protocol_mappers` and `scope_role_mappings` that names this owner.
    var column: String {
        switch self {
        case .scope: "scope_id"
        case .client: "client_id"
        }
    }
}
