import Domain
import Synchronization

/// Slows down guessing: after `limit` failures within `window` seconds for one key (a client, an address), further
/// attempts are refused with 429 for `penalty` seconds. The right secret is never locked out for longer than that.
public final class FailureThrottle: Sendable {
    private struct Record {
        var failures: Int
        var windowStart: Int
        var blockedUntil: Int
    }

    private let limit: Int
    private let window: Int
    private let penalty: Int
    private let clock: EpochClock
    private let records = Mutex<[String: Record]>([:])

    public init(limit: Int = 20, window: Int = 60, penalty: Int = 30, clock: EpochClock) {
        self.limit = limit
        self.window = window
        self.penalty = penalty
        self.clock = clock
    }

    /// Seconds the caller must still wait, or nil when the attempt may go ahead.
    public func retryAfter(_ keys: [String]) -> Int? {
        let now = clock.now
        return records.withLock { records in
            keys.compactMap { key in records[key].flatMap { $0.blockedUntil > now ? $0.blockedUntil - now : nil } }.max()
        }
    }

    public func recordFailure(_ keys: [String]) {
        let now = clock.now
        records.withLock { records in
            if records.count > 100_000 { records = records.filter { $0.value.blockedUntil > now || now - $0.value.windowStart < window } }
            for key in keys {
                var record = records[key] ?? Record(failures: 0, windowStart: now, blockedUntil: 0)
                if now - record.windowStart >= window { record = Record(failures: 0, windowStart: now, blockedUntil: 0) }
                record.failures += 1
                if record.failures >= limit { record.blockedUntil = now + penalty }
                records[key] = record
            }
        }
    }
}
