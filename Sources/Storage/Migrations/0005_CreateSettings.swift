import SQLKit

/// Small server-wide facts, such as which realm the first run deployed.
struct CreateSettings: Migration {
    let version = 5
    let name = "CreateSettings"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "settings")
            .column("key", type: .text, .primaryKey(autoIncrement: false))
            .column("value", type: .text, .notNull)
            .run()
    }
}
