import SQLKit

/// Keycloak configuration a realm keeps as given, one JSON document per kind: the realm representation's fields this
/// server does not act on (themes, SMTP settings, flags) so a tool reads back what it wrote, and the user profile.
/// Apart from `realms`, so the realm every request reads stays small.
struct CreateRealmDocuments: Migration {
    let version = 24
    let name = "CreateRealmDocuments"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.create(table: "realm_documents")
            .column("realm", type: .text, .notNull, .references("realms", "name", onDelete: .cascade))
            .column("kind", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .primaryKey("realm", "kind")
            .run()
    }
}
