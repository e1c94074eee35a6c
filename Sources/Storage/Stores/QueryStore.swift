import Domain
import SQLKit

/// Saved queries of a realm's users.
public struct QueryStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func insert(_ query: SavedQuery) async throws {
        try await sql.insert(into: "queries").model(query, with: Codecs.encoder).run()
    }

    public func find(realm: String, id: String) async throws -> SavedQuery? {
        try await sql.select().column("*").from("queries").where("realm", .equal, realm).where("id", .equal, id)
            .first(decoding: SavedQuery.self, with: Codecs.decoder)
    }

    /// The owner's queries, newest first.
    public func list(realm: String, ownerId: String, limit: Int) async throws -> [SavedQuery] {
        try await sql.select().column("*").from("queries").where("realm", .equal, realm).where("owner_id", .equal, ownerId)
            .orderBy("created_at", .descending).orderBy("id", .descending).limit(limit).all(decoding: SavedQuery.self, with: Codecs.decoder)
    }

    public func delete(realm: String, id: String) async throws {
        try await sql.delete(from: "queries").where("realm", .equal, realm).where("id", .equal, id).run()
    }
}
