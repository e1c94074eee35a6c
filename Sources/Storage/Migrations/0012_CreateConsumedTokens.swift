import SQLKit

/// A ledger of single-use sealed values (embed links, the portal's login continuation) by SHA-256, until they would
/// have expired anyway: one insert decides which presentation is the first (identity.md "Single use under concurrency").
struct CreateConsumedTokens: Migration {
    let version = 12
    let name = "CreateConsumedTokens"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "consumed_tokens")
            .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("expires_at", type: .bigint, .notNull)
            .run()
    }
}
