import SQLKit

/// Sealed values that may be presented once. The insert is the check: of simultaneous presentations, exactly one
/// inserts the row (a primary-key conflict is ignored, and returns nothing).
public struct ConsumedTokenStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// True for the first presentation of `hash`, false ever after (until `expiresAt` passes and it is forgotten).
    public func consume(hash: String, expiresAt: Int) async throws -> Bool {
        let inserted = try await sql.insert(into: "consumed_tokens").columns("token_hash", "expires_at")
            .values(SQLBind(hash), SQLBind(expiresAt)).ignoringConflicts(with: "token_hash").returning("token_hash").all()
        return !inserted.isEmpty
    }

    public func isConsumed(hash: String) async throws -> Bool {
        try await sql.select().column("token_hash").from("consumed_tokens").where("token_hash", .equal, hash).first() != nil
    }

    public func purgeExpired(now: Int) async throws {
        try await sql.delete(from: "consumed_tokens").where("expires_at", .lessThanOrEqual, now).run()
    }
}
