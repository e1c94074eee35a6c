import Domain
import Synchronization

/// Revoked access tokens by `jti`, kept in memory until they would have expired anyway (RFC 7009).
public final class RevocationList: Sendable {
    private let revoked = Mutex<[String: Int]>([:])

    public init() {}

    public func contains(_ jti: String) -> Bool {
        revoked.withLock { $0[jti] != nil }
    }

    public func add(_ jti: String, expiresAt: Int) {
        revoked.withLock { $0[jti] = expiresAt }
    }

    /// Replaces the list with what storage knows (start-up and periodic refresh for other nodes' revocations).
    public func reload(from database: any Database, now: Int) async throws {
        let stored = try await database.read { sql in try await SessionStore(sql).revokedTokens(now: now) }
        revoked.withLock { current in
            current = current.filter { $0.value > now }
            for token in stored { current[token.jti] = token.expiresAt }
        }
    }
}
