import Domain
import SQLKit

/// Users' counted sign-in failures while their realm's brute-force detection is on.
public struct LoginFailureStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func find(userId: String) async throws -> LoginFailures? {
        try await sql.select().column("*").from("login_failures").where("user_id", .equal, userId)
            .first(decoding: LoginFailures.self, with: Codecs.decoder)
    }

    /// Counts one failure in one statement, so simultaneous failures are all counted: the count starts again when the
    /// last failure is older than `countsSince`. Returns the row as it now is, with the failure before this one in
    /// `previousFailure` (the row's old `last_failure`: SQL reads the old row on the right of every `SET`).
    public func count(userId: String, realm: String, at now: Int, address: String, countsSince: Int) async throws -> LoginFailures? {
        try await sql.raw(
            """
            INSERT INTO login_failures (user_id, realm, num_failures, last_failure, previous_failure, last_ip_failure, locked_until)
            VALUES (\(bind: userId), \(bind: realm), 1, \(bind: now), NULL, \(bind: address), 0)
            ON CONFLICT (user_id) DO UPDATE SET
                num_failures = CASE WHEN login_failures.last_failure < \(bind: countsSince) THEN 1 ELSE login_failures.num_failures + 1 END,
                previous_failure = CASE WHEN login_failures.last_failure < \(bind: countsSince) THEN NULL ELSE login_failures.last_failure END,
                last_failure = \(bind: now),
                last_ip_failure = \(bind: address)
            RETURNING *
            """
        ).first(decoding: LoginFailures.self, with: Codecs.decoder)
    }

    /// Locks the user until `until`, never shortening a lock another failure set meanwhile.
    public func lock(userId: String, until: Int) async throws {
        try await sql.update("login_failures").set("locked_until", to: until).where("user_id", .equal, userId)
            .where("locked_until", .lessThan, until).run()
    }

    public func clear(userId: String) async throws {
        try await sql.delete(from: "login_failures").where("user_id", .equal, userId).run()
    }

    public func clear(realm: String) async throws {
        try await sql.delete(from: "login_failures").where("realm", .equal, realm).run()
    }
}
