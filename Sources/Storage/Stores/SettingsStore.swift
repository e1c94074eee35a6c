import SQLKit

/// Key/value facts about this installation.
public struct SettingsStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public static let defaultRealm = "default_realm"
    public static let masterAdminCreated = "master_admin_created"

    public func get(_ key: String) async throws -> String? {
        try await sql.select().column("value").from("settings").where("key", .equal, key).first(decodingColumn: "value", as: String.self)
    }

    public func set(_ key: String, _ value: String) async throws {
        try await sql.delete(from: "settings").where("key", .equal, key).run()
        try await sql.insert(into: "settings").columns("key", "value").values(SQLBind(key), SQLBind(value)).run()
    }
}
