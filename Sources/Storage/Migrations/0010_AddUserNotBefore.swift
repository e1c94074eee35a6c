import SQLKit

/// A per-user not-before time: access tokens of a user issued before it are refused on every node (a disabled user,
/// ended sessions, a reset password), as the realm-wide `not_before` does for the whole realm.
struct AddUserNotBefore: Migration {
    let version = 10
    let name = "AddUserNotBefore"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.alter(table: "users").column("not_before", type: .bigint, .notNull, .default(0)).run()
    }
}
