/// A realm's brute-force detection, as Keycloak configures it (`bruteForceProtected`, `failureFactor`, …). When on, a
/// user's failed sign-ins are counted in storage, so every node sees them: `failureFactor` failures lock the user for
/// `waitIncrementSeconds` (growing with each further `failureFactor`, up to `maxFailureWaitSeconds`), or for good
/// with `permanentLockout`; failures more than `maxDeltaTimeSeconds` apart start the count again; two failures closer
/// than `quickLoginCheckMilliSeconds` lock for `minimumQuickLoginWaitSeconds`. Off by default, as in Keycloak. The
/// server's own throttle (per address and credential) works whatever this says.
public struct BruteForcePolicy: Sendable, Equatable, Codable {
    public var enabled = false
    public var permanentLockout = false
    public var failureFactor = 30
    public var waitIncrementSeconds = 60
    public var maxFailureWaitSeconds = 900
    public var maxDeltaTimeSeconds = 43_200
    public var minimumQuickLoginWaitSeconds = 60
    public var quickLoginCheckMilliSeconds = 1_000

    public init() {}

    /// Counts and durations may be set from 1 (0 for the quick-login check, which turns it off) to one year.
    public static let countRange = 1...100_000
    public static let secondsRange = 1...31_536_000
    public static let quickCheckRange = 0...86_400_000

    /// What a new failure at `now` means, after `failures` failures in all (this one included), the one before at
    /// `previous` (nil for the first). The clock counts seconds, so the quick-login check compares whole seconds.
    public func lockout(failures: Int, previous: Int?, now: Int) -> Lockout {
        if permanentLockout, failures >= failureFactor { return .permanent }
        var until: Int?
        if failures >= failureFactor {
            let steps = failures / failureFactor
            until = now.addingSaturated(min(waitIncrementSeconds.multipliedSaturated(by: steps), maxFailureWaitSeconds))
        }
        if let previous, quickLoginCheckMilliSeconds > 0, (now - previous).multipliedSaturated(by: 1_000) < quickLoginCheckMilliSeconds {
            until = max(until ?? 0, now.addingSaturated(minimumQuickLoginWaitSeconds))
        }
        return until.map(Lockout.until) ?? .none
    }

    public enum Lockout: Sendable, Equatable {
        case none
        /// Locked until this epoch second.
        case until(Int)
        /// The user is disabled until an administrator enables them again.
        case permanent
    }

    /// Whether a failure recorded at `lastFailure` still counts at `now`.
    public func counts(lastFailure: Int, now: Int) -> Bool { now - lastFailure <= maxDeltaTimeSeconds }
}

/// A user's failed sign-ins while the realm's brute-force detection is on (Keycloak's `UserLoginFailure`).
public struct LoginFailures: Sendable, Equatable, Codable {
    public var userId: String
    public var realm: String
    public var numFailures: Int
    public var lastFailure: Int
    public var previousFailure: Int?
    public var lastIpFailure: String?
    /// The user may not sign in before this epoch second (0: not locked).
    public var lockedUntil: Int

    public init(userId: String, realm: String, numFailures: Int, lastFailure: Int, previousFailure: Int?, lastIpFailure: String?, lockedUntil: Int) {
        self.userId = userId
        self.realm = realm
        self.numFailures = numFailures
        self.lastFailure = lastFailure
        self.previousFailure = previousFailure
        self.lastIpFailure = lastIpFailure
        self.lockedUntil = lockedUntil
    }
}
