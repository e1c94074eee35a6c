import SQLKit

/// Per-subject not-before times: access tokens of a subject issued before it are refused on every node (a disabled,
/// signed-out or deleted user, a reset password), as the realm-wide `not_before` does for the whole realm. A table of
/// its own, so the cut-off outlives the user it was written for.
struct CreateTokenCutOffs: Migration {
    let version = 10
    let name = "CreateTokenCutOffs"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "token_cutoffs")
            .column("subject", type: .text, .primaryKey(autoIncrement: false))
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("not_before", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "token_cutoffs_realm").on("token_cutoffs").column("realm").column("not_before").run()
    }
}
