import Domain
import SQLKit

/// Sessions, authorization codes and revoked access tokens.
public struct SessionStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func insert(_ session: LoginSession) async throws {
        try await sql.insert(into: "sessions").model(session, with: Codecs.encoder).run()
    }

    /// A session that exists and has not expired.
    public func live(id: String, now: Int) async throws -> LoginSession? {
        try await sql.select().column("*").from("sessions").where("id", .equal, id).where("expires_at", .greaterThan, now)
            .first(decoding: LoginSession.self, with: Codecs.decoder)
    }

    /// Moves a live session to a new refresh token, only if `expected` is still the current one: one statement checks
    /// and changes, so of simultaneous uses of one refresh token exactly one succeeds (refresh tokens are single use).
    public func rotate(id: String, expected: String, next: String, expiresAt: Int, now: Int) async throws -> LoginSession? {
        try await sql.update("sessions").set("refresh_id", to: next).set("expires_at", to: expiresAt).set("last_access", to: now)
            .where("id", .equal, id).where("refresh_id", .equal, expected).where("expires_at", .greaterThan, now)
            .returning(SQLLiteral.all).first(decoding: LoginSession.self, with: Codecs.decoder)
    }

    /// A user's live sessions (or offline sessions), oldest first.
    public func live(userId: String, now: Int, offline: Bool = false) async throws -> [LoginSession] {
        try await sql.select().column("*").from("sessions").where("user_id", .equal, userId).where("expires_at", .greaterThan, now)
            .where("offline", .equal, offline).orderBy("created_at").orderBy("id").all(decoding: LoginSession.self, with: Codecs.decoder)
    }

    /// The live sessions of one client (by `clientId`) in a realm, oldest first, within `window`.
    public func live(realm: String, clientId: String, now: Int, window: ListWindow) async throws -> [LoginSession] {
        try await sql.select().column("*").from("sessions").where("realm", .equal, realm).where("client_id", .equal, clientId)
            .where("expires_at", .greaterThan, now).where("offline", .equal, false).orderBy("created_at").orderBy("id").window(window)
            .all(decoding: LoginSession.self, with: Codecs.decoder)
    }

    /// How many live sessions (or offline sessions) each client of the realm has (clients without any are left out).
    public func liveCounts(realm: String, now: Int, offline: Bool = false) async throws -> [String: Int] {
        struct Count: Decodable {
            var clientId: String
            var n: Int
        }
        let rows = try await sql.select().column("client_id").column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("sessions")
            .where("realm", .equal, realm).where("expires_at", .greaterThan, now).where("offline", .equal, offline).groupBy("client_id")
            .all(decoding: Count.self, with: Codecs.decoder)
        return Dictionary(rows.map { ($0.clientId, $0.n) }, uniquingKeysWith: +)
    }

    public func end(id: String) async throws {
        try await sql.delete(from: "sessions").where("id", .equal, id).run()
    }

    /// Ends a user's sessions, and their offline sessions when asked.
    public func endAll(userId: String, includingOffline: Bool) async throws {
        let query = sql.delete(from: "sessions").where("user_id", .equal, userId)
        if !includingOffline { query.where("offline", .equal, false) }
        try await query.run()
    }

    /// Ends every session and offline session of one client (by `clientId`) of a realm.
    public func endAll(realm: String, clientId: String) async throws {
        try await sql.delete(from: "sessions").where("realm", .equal, realm).where("client_id", .equal, clientId).run()
    }

    /// Ends a user's sessions but one (offline sessions stay): "sign out everywhere else".
    public func endAll(userId: String, except keptId: String) async throws {
        try await sql.delete(from: "sessions").where("user_id", .equal, userId).where("id", .notEqual, keptId).where("offline", .equal, false).run()
    }

    /// Ends a user's offline sessions with one client (`clientId`); how many there were.
    public func endOffline(userId: String, clientId: String) async throws -> Int {
        try await sql.delete(from: "sessions").where("user_id", .equal, userId).where("client_id", .equal, clientId)
            .where("offline", .equal, true).returning("id").all().count
    }

    public func insert(_ code: AuthorizationCode) async throws {
        try await sql.insert(into: "authorization_codes").model(code, with: Codecs.encoder).run()
    }

    /// Redeems a live, unused code of this realm and client, recording the access token it yields: one statement checks
    /// and marks, so of simultaneous redemptions exactly one gets the code (RFC 6749 §4.1.2), and a code presented to the
    /// wrong realm or by the wrong client is not burnt.
    public func redeemCode(hash: String, realm: String, clientId: String, now: Int, accessTokenId: String) async throws -> AuthorizationCode? {
        try await sql.update("authorization_codes").set("used_at", to: now).set("access_token_id", to: accessTokenId)
            .where("code_hash", .equal, hash).where("realm", .equal, realm).where("client_id", .equal, clientId)
            .where("used_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, now)
            .returning(SQLLiteral.all).first(decoding: AuthorizationCode.self, with: Codecs.decoder)
    }

    /// A code that was redeemed already (presented again: a replay).
    public func redeemedCode(hash: String) async throws -> AuthorizationCode? {
        try await sql.select().column("*").from("authorization_codes").where("code_hash", .equal, hash).where("used_at", .isNot, SQLLiteral.null)
            .first(decoding: AuthorizationCode.self, with: Codecs.decoder)
    }

    /// Records a revoked access token; revoking one twice is one revocation.
    public func revoke(jti: String, realm: String, expiresAt: Int) async throws {
        try await sql.insert(into: "revoked_tokens").columns("jti", "realm", "expires_at")
            .values(SQLBind(jti), SQLBind(realm), SQLBind(expiresAt)).ignoringConflicts().run()
    }

    public struct RevokedToken: Sendable, Decodable {
        public var jti: String
        public var expiresAt: Int
    }

    /// Revoked `jti`s that still matter (their token has not expired yet).
    public func revokedTokens(now: Int) async throws -> [RevokedToken] {
        try await sql.select().columns("jti", "expires_at").from("revoked_tokens").where("expires_at", .greaterThan, now)
            .all(decoding: RevokedToken.self, with: Codecs.decoder)
    }

    /// How long a code is kept after it expires, so a late second redemption is still recognised as one.
    public static let redeemedCodeMemory = 600

    /// Forgets what can no longer be used: expired sessions, codes and revocations.
    public func purgeExpired(now: Int) async throws {
        try await sql.delete(from: "sessions").where("expires_at", .lessThanOrEqual, now).run()
        try await sql.delete(from: "authorization_codes").where("expires_at", .lessThanOrEqual, now - Self.redeemedCodeMemory).run()
        try await sql.delete(from: "revoked_tokens").where("expires_at", .lessThanOrEqual, now).run()
    }
}
