import SQLKit

/// What single use and uniqueness rest on, so the database keeps the promise under concurrency (decision 0009):
/// a redeemed authorization code is marked (not deleted) with the access token it yielded, so a second redemption can
/// revoke it (RFC 6749 §4.1.2); live data-product names and a user's one Personal PSK get unique indexes. Duplicates
/// that earlier races left behind are retired first, keeping the newest.
struct SingleUseAndUniqueNames: Migration {
    let version = 11
    let name = "SingleUseAndUniqueNames"

    func prepare(on sql: any SQLDatabase) async throws {
        try await sql.alter(table: "authorization_codes").column("used_at", type: .bigint).run()
        try await sql.alter(table: "authorization_codes").column("access_token_id", type: .text).run()

        try await sql.raw(
            """
            UPDATE psks SET is_deleted = TRUE, deleted_at = created_at
            WHERE is_deleted = FALSE AND data_product_id IN (SELECT older.id FROM data_products older WHERE older.is_deleted = FALSE
                AND EXISTS (SELECT 1 FROM data_products newer WHERE newer.realm = older.realm AND newer.name = older.name
                    AND newer.is_deleted = FALSE AND (newer.created_at > older.created_at OR (newer.created_at = older.created_at AND newer.id > older.id))))
            """
        ).run()
        try await sql.raw(
            """
            UPDATE data_products SET is_deleted = TRUE, deleted_at = created_at
            WHERE is_deleted = FALSE AND EXISTS (SELECT 1 FROM data_products newer WHERE newer.realm = data_products.realm
                AND newer.name = data_products.name AND newer.is_deleted = FALSE
                AND (newer.created_at > data_products.created_at OR (newer.created_at = data_products.created_at AND newer.id > data_products.id)))
            """
        ).run()
        try await sql.drop(index: "data_products_realm_name").run()
        try await uniqueIndex("data_products_live_name", on: "data_products", columns: ["realm", "name"], where: "is_deleted = FALSE", sql)

        try await sql.raw(
            """
            DELETE FROM psks WHERE kind = 'personal' AND is_deleted = FALSE AND EXISTS (SELECT 1 FROM psks newer
                WHERE newer.user_id = psks.user_id AND newer.kind = 'personal' AND newer.is_deleted = FALSE
                AND (newer.created_at > psks.created_at OR (newer.created_at = psks.created_at AND newer.id > psks.id)))
            """
        ).run()
        try await uniqueIndex("psks_one_personal", on: "psks", columns: ["user_id"], where: "kind = 'personal' AND is_deleted = FALSE", sql)
    }

    /// A partial unique index (both databases support `CREATE UNIQUE INDEX … WHERE`); the predicates are constants.
    private func uniqueIndex(_ name: String, on table: String, columns: [String], where predicate: String, _ sql: any SQLDatabase) async throws {
        let builder = sql.create(index: name).unique().on(table)
        for column in columns { builder.column(column) }
        builder.createIndex.predicate = SQLRaw(predicate)
        try await builder.run()
    }
}
