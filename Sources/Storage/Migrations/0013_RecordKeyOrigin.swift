import SQLKit

/// Which PSK, if any, authenticated the creation of a key: keys minted through a PSK end when that PSK is revoked or
/// deleted (docs/security.md "Keys minted through a key"), so a leaked key's offspring do not outlive it.
struct RecordKeyOrigin: Migration {
    let version = 13
    let name = "RecordKeyOrigin"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.alter(table: "psks").column("created_by_key_id", type: .text).run()
        try await sql.create(index: "psks_created_by_key").on("psks").column("created_by_key_id").run()
    }
}
