import Storage

/// Ends a login session: logout (`POST`/browser), a revoked refresh token, the portal's "Log out". Its refresh token
/// stops working at once; the portal sessions opened through it end with it.
public struct EndSession: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    public func callAsFunction(id: String) async throws {
        try await database.transaction { sql in try await SessionStore(sql).end(id: id) }
    }
}

/// Revokes one access token by `jti` until it would have expired (RFC 7009), on every node: storage for the others,
/// announced so that they reload their revocation list within a second.
public struct RevokeAccessToken: Sendable {
    let changes: ChangeLog
    let revocations: RevocationList

    public init(changes: ChangeLog, revocations: RevocationList) {
        self.changes = changes
        self.revocations = revocations
    }

    public func callAsFunction(jti: String, realm: String, expiresAt: Int) async throws {
        try await changes.commit { sql in try await SessionStore(sql).revoke(jti: jti, realm: realm, expiresAt: expiresAt) }
        revocations.add(jti, expiresAt: expiresAt)
    }
}
