import Domain
import Storage

/// Brute-force detection over storage (Keycloak's `attack-detection`): with the realm's `BruteForcePolicy` on, each
/// wrong password for an existing user is counted in one statement, so simultaneous guesses on any node are all
/// counted, and the lockout it earns is written with it. A right password clears the count. Administrators read a
/// user's count and clear it (`/attack-detection/brute-force/users/{id}`).
public struct SignInFailures: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    /// Whether a user with these failures may not sign in now: locked for a while, or — with `permanentLockout` —
    /// until an administrator enables them again (which clears the count).
    public static func isLocked(_ failures: LoginFailures?, policy: BruteForcePolicy, now: Int) -> Bool {
        guard policy.enabled, let failures else { return false }
        return failures.lockedUntil > now || (policy.permanentLockout && failures.numFailures >= policy.failureFactor)
    }

    /// Counts a wrong password for `user`. A permanent lockout disables the user (sessions end; their keys stop
    /// working while disabled, and work again when an administrator enables the user — a guesser must not be able to
    /// revoke someone's keys).
    public func failed(user: User, policy: BruteForcePolicy, address: String) async throws {
        guard policy.enabled else { return }
        let now = clock.now
        try await changes.commit(announcingIf: { sql in
            guard let counted = try await LoginFailureStore(sql).count(
                userId: user.id, realm: user.realm, at: now, address: address, countsSince: now.addingSaturated(-policy.maxDeltaTimeSeconds))
            else { return ((), false) }
            switch policy.lockout(failures: counted.numFailures, previous: counted.previousFailure, now: now) {
            case .none: return ((), false)
            case .until(let until):
                try await LoginFailureStore(sql).lock(userId: user.id, until: until)
                return ((), false)
            case .permanent:
                _ = try await UserStore(sql).change(
                    realm: user.realm, id: user.id, email: nil, firstName: nil, lastName: nil, enabled: false, emailVerified: nil, mustChangePassword: nil)
                try await UserAccess.end(userId: user.id, realm: user.realm, now: now, on: sql)
                return ((), true)
            }
        })
    }

    /// A right password: the count starts again.
    public func succeeded(userId: String) async throws {
        try await changes.database.transaction { sql in try await LoginFailureStore(sql).clear(userId: userId) }
    }

    /// Keycloak's brute-force status of a user.
    public struct Status: Sendable, Equatable {
        public let numFailures: Int
        public let disabled: Bool
        public let lastIPFailure: String?
        /// Epoch seconds; nil when there was none.
        public let lastFailure: Int?
    }

    public func status(_ actor: Principal, realm: String, userId: String) async throws -> Status {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        let now = clock.now
        return try await changes.read { sql in
            guard try await UserStore(sql).find(realm: realm, id: userId) != nil else { throw AdministrationError.notFound(.user) }
            let policy = try await RealmStore(sql).find(realm)?.bruteForce ?? BruteForcePolicy()
            let failures = try await LoginFailureStore(sql).find(userId: userId)
            let locked = Self.isLocked(failures, policy: policy, now: now)
            return Status(numFailures: failures?.numFailures ?? 0, disabled: locked, lastIPFailure: failures?.lastIpFailure, lastFailure: failures?.lastFailure)
        }
    }

    public func clear(_ actor: Principal, realm: String, userId: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageUsers)
        try await changes.commit(onUser: userId, realm: realm) { _, sql in try await LoginFailureStore(sql).clear(userId: userId) }
    }

    public func clearAll(_ actor: Principal, realm: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageUsers)
        try await changes.database.transaction { sql in try await LoginFailureStore(sql).clear(realm: realm) }
    }
}
