import Domain
import Synchronization

/// Slows down guessing without letting a stranger lock anybody out (docs/security.md "Throttling"):
/// - `limit` failures within `window` seconds for one credential from one address block that pair for `penalty` s;
/// - `5 × limit` failures from one address, whatever the credential, block the address (spraying many accounts) —
///   except for credentials that signed in from it within the last day;
/// - `5 × limit` failures for one credential from anywhere (a distributed guess) put it under guard: for `penalty` s
///   only addresses where it signed in successfully within the last day may still try.
/// So brute force stays at a few guesses per second per credential, and its owner keeps working from where they work.
public final class FailureThrottle: Sendable {
    /// Who is trying which credential: `client:realm/id` or `user:realm/name`, and the peer address.
    public struct Attempt: Sendable {
        let credential: String
        let address: String

        public init(credential: String, address: String) {
            self.credential = credential
            self.address = address
        }
    }

    private struct Counter {
        var failures = 0
        var windowStart: Int
        var blockedUntil = 0
    }

    private struct State {
        var counters: [String: Counter] = [:]
        /// Addresses where a credential last succeeded, and when.
        var trusted: [String: [String: Int]] = [:]
    }

    private let limit: Int
    private let window: Int
    private let penalty: Int
    private let clock: EpochClock
    private let state = Mutex(State())
    static let trustSeconds = 86_400
    static let capacity = 100_000

    public init(limit: Int = 20, window: Int = 60, penalty: Int = 30, clock: EpochClock) {
        self.limit = max(limit, 1)
        self.window = window
        self.penalty = penalty
        self.clock = clock
    }

    /// Seconds the caller must still wait, or nil when the attempt may go ahead.
    public func retryAfter(_ attempt: Attempt) -> Int? {
        let now = clock.now
        return state.withLock { state in
            func wait(_ key: String) -> Int? { state.counters[key].flatMap { $0.blockedUntil > now ? $0.blockedUntil - now : nil } }
            var waits = [wait(Self.pair(attempt))]
            // Where the credential signed in lately, neither a stranger's spraying from the same address (callers behind
            // one proxy share it) nor a guess at the credential from elsewhere locks its owner out.
            if !Self.isTrusted(attempt, in: state, now: now) { waits += [wait(Self.address(attempt)), wait(Self.credential(attempt))] }
            return waits.compactMap { $0 }.max()
        }
    }

    public func recordFailure(_ attempt: Attempt) {
        let now = clock.now
        state.withLock { state in
            if state.counters.count > Self.capacity { state.counters = state.counters.filter { $0.value.blockedUntil > now || now - $0.value.windowStart < window } }
            for (key, threshold) in [(Self.pair(attempt), limit), (Self.address(attempt), limit * 5), (Self.credential(attempt), limit * 5)] {
                var counter = state.counters[key] ?? Counter(windowStart: now)
                if now - counter.windowStart >= window { counter = Counter(windowStart: now) }
                counter.failures += 1
                if counter.failures >= threshold { counter.blockedUntil = now + penalty }
                state.counters[key] = counter
            }
        }
    }

    /// The credential worked from this address: the address stays welcome while the credential is under guard.
    public func recordSuccess(_ attempt: Attempt) {
        let now = clock.now
        state.withLock { state in
            if state.trusted.count > Self.capacity { state.trusted = [:] }
            state.trusted[attempt.credential, default: [:]][attempt.address] = now
            state.counters[Self.pair(attempt)] = nil
        }
    }

    private static func isTrusted(_ attempt: Attempt, in state: State, now: Int) -> Bool {
        guard let last = state.trusted[attempt.credential]?[attempt.address] else { return false }
        return now - last < trustSeconds
    }

    private static func pair(_ attempt: Attempt) -> String { "pair\u{0}\(attempt.credential)\u{0}\(attempt.address)" }
    private static func address(_ attempt: Attempt) -> String { "address\u{0}\(attempt.address)" }
    private static func credential(_ attempt: Attempt) -> String { "credential\u{0}\(attempt.credential)" }
}
