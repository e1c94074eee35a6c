import Domain
import SQLKit

/// Suggestions, kept so their ids can be used later (`POST /api/query {suggestion_id}`).
public struct SuggestionStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func all(realm: String, domain: String) async throws -> [Suggestion] {
        try await sql.select().column("*").from("suggestions").where("realm", .equal, realm).where("domain", .equal, domain)
            .orderBy("position").all(decoding: Suggestion.self, with: Codecs.decoder)
    }

    public func find(realm: String, id: String) async throws -> Suggestion? {
        try await sql.select().column("*").from("suggestions").where("realm", .equal, realm).where("id", .equal, id)
            .first(decoding: Suggestion.self, with: Codecs.decoder)
    }

    /// Stores the suggestions not stored yet (ids are derived from their content, so existing ones are kept as they are).
    public func insertMissing(_ suggestions: [Suggestion]) async throws {
        guard let first = suggestions.first else { return }
        let known = Set(try await all(realm: first.realm, domain: first.domain).map(\.id))
        for suggestion in suggestions where !known.contains(suggestion.id) {
            try await sql.insert(into: "suggestions").model(suggestion, with: Codecs.encoder).run()
        }
    }
}
