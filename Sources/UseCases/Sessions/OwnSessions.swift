import Domain
import Storage

/// A signed-in user's own sessions, as the portal's Settings shows them ("Your sessions and offline tokens"): where
/// they are signed in, and signing out of every session but the one in use. Their offline tokens are
/// `OfflineConsents.own`/`revokeOwn`.
public struct OwnSessions: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    /// The user's live sessions, oldest first.
    public func list(_ user: Principal) async throws -> [LoginSession] {
        try AccountError.require(user, .view)
        let now = clock.now
        return try await changes.read { sql in
            try await SessionStore(sql).live(userId: user.subject, now: now).filter { $0.realm == user.realm }
        }
    }

    /// Ends every session of the user but the one `user` signed in with (a portal session names it); with none named,
    /// nothing is ended.
    public func endOthers(_ user: Principal) async throws {
        try AccountError.require(user, .manage)
        guard let kept = user.sessionId else { return }
        try await changes.database.transaction { sql in try await SessionStore(sql).endAll(userId: user.subject, except: kept) }
    }
}
