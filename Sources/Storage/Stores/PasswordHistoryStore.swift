import Domain
import SQLKit

/// Hashes of the passwords users had before their current one, newest first, for `passwordHistory`.
public struct PasswordHistoryStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Remembers a replaced password's hash and forgets all but the newest `keep`.
    public func remember(userId: String, hash: String, at now: Int, keep: Int) async throws {
        try await sql.insert(into: "password_history").columns("user_id", "password_hash", "replaced_at")
            .values(SQLBind(userId), SQLBind(hash), SQLBind(now)).run()
        let kept = try await recent(userId: userId, limit: keep)
        try await sql.delete(from: "password_history").where("user_id", .equal, userId)
            .where("password_hash", .notIn, SQLBind.group(kept.isEmpty ? [""] : kept)).run()
    }

    /// The newest `limit` earlier hashes.
    public func recent(userId: String, limit: Int) async throws -> [String] {
        guard limit > 0 else { return [] }
        return try await sql.select().column("password_hash").from("password_history").where("user_id", .equal, userId)
            .orderBy("replaced_at", .descending).limit(limit).all(decodingColumn: "password_hash", as: String.self)
    }
}
