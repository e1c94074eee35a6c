import SQLKit

/// Each user's unsuccessful authenticator codes within a fixed window, counted in one statement so that guesses on
/// every node add up. A guess is counted before it is checked, so simultaneous guesses cannot all slip under the limit.
public struct OTPFailureStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Counts a guess at `now` and returns the window's count with it; a window that started before `windowSince` starts
    /// again with this one.
    public func count(userId: String, at now: Int, windowSince: Int) async throws -> Int {
        try await sql.raw(
            """
            INSERT INTO otp_failures (user_id, failures, window_start) VALUES (\(bind: userId), 1, \(bind: now))
            ON CONFLICT (user_id) DO UPDATE SET
                failures = CASE WHEN otp_failures.window_start < \(bind: windowSince) THEN 1 ELSE otp_failures.failures + 1 END,
                window_start = CASE WHEN otp_failures.window_start < \(bind: windowSince) THEN \(bind: now) ELSE otp_failures.window_start END
            RETURNING failures
            """
        ).first(decodingColumn: "failures", as: Int.self) ?? 1
    }

    public func clear(userId: String) async throws {
        try await sql.delete(from: "otp_failures").where("user_id", .equal, userId).run()
    }
}
