import Domain
import Storage
import UseCases

/// The second step of a sign-in, for the login page and the password grant alike: what the user must do after their
/// password (`TwoFactor.Requirement`), and checking their code. Wrong and reused codes count like wrong passwords — for
/// the throttle and, when the realm has it on, for brute-force detection.
public struct SecondFactorCheck: Sendable {
    public let twoFactor: TwoFactor
    let database: any Database
    let throttle: FailureThrottle
    let failures: SignInFailures
    let clock: EpochClock

    public init(twoFactor: TwoFactor, database: any Database, throttle: FailureThrottle, failures: SignInFailures, clock: EpochClock) {
        self.twoFactor = twoFactor
        self.database = database
        self.throttle = throttle
        self.failures = failures
        self.clock = clock
    }

    public func requirement(for user: User) async throws -> TwoFactor.Requirement { try await twoFactor.requirement(for: user) }

    /// Accepts a code of the user's authenticators once; otherwise `CredentialRefused.oneTimeCode` (or `.throttled`).
    public func verify(_ user: User, code: String?, address: String) async throws {
        let attempt = FailureThrottle.Attempt(credential: "otp:\(user.realm)/\(user.id)", address: address)
        if let wait = throttle.retryAfter(attempt) { throw CredentialRefused.throttled(retryAfter: wait) }
        // A user locked by brute-force detection gives no code either (the code form can be posted again and again).
        let (policy, counted) = try await database.read { sql in
            (try await RealmStore(sql).find(user.realm)?.bruteForce ?? BruteForcePolicy(), try await LoginFailureStore(sql).find(userId: user.id))
        }
        if SignInFailures.isLocked(counted, policy: policy, now: clock.now) { throw CredentialRefused.oneTimeCode }
        let presented = (code ?? "").filter { $0 != " " }
        if !presented.isEmpty, try await twoFactor.verify(user, code: presented) == .accepted {
            throttle.recordSuccess(attempt)
            try await failures.succeeded(userId: user.id)  // the whole sign-in succeeded: the count starts again
            return
        }
        throttle.recordFailure(attempt)
        try await failures.failed(user: user, policy: policy, address: address)
        throw CredentialRefused.oneTimeCode
    }
}
