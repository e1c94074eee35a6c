import SQLKit

/// Each user's wrong authenticator codes within a fixed window, counted in one statement so that guesses on every node
/// add up.
public struct OTPFailureStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Wrong codes in the window that started at or after `windowSince`.
    public func failures(userId: String, windowSince: Int) async throws -> Int {
        struct Row: Decodable {
            var failures: Int
            var windowStart: Int
        }
        guard let row = try await sql.select().column("failures").column("window_start").from("otp_failures").where("user_id", .equal, userId)
            .first(decoding: Row.self, with: Codecs.decoder), row.windowStart >= windowSince
        else { return 0 }
        return row.failures
    }

    /// Counts a wrong code at `now`; a window that started before `windowSince` starts again with this one.
    public func count(userId: String, at now: Int, windowSince: Int) async throws {
        try await sql.raw(
            """
            INSERT INTO otp_failures (user_id, failures, window_start) VALUES (\(bind: userId), 1, \(bind: now))
            ON CONFLICT (user_id) DO UPDATE SET
                failures = CASE WHEN otp_failures.window_start < \(bind: windowSince) THEN 1 ELSE otp_failures.failures + 1 END,
                window_start = CASE WHEN otp_failures.window_start < \(bind: windowSince) THEN \(bind: now) ELSE otp_failures.window_start END
            """
        ).run()
    }

    public func clear(userId: String) async throws {
        try await sql.delete(from: "otp_failures").where("user_id", .equal, userId).run()
    }
}
