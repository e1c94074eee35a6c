import Domain
import Synchronization

/// A small in-process cache whose entries live `maxAge` seconds: long enough to take storage off the hot path,
/// short enough that a change made by another node is seen soon. Changes made on this node call `removeAll()`.
public final class ExpiringCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (value: Value, loadedAt: Int)]>([:])
    private let clock: EpochClock
    private let maxAge: Int
    private let capacity: Int

    public init(clock: EpochClock, maxAge: Int, capacity: Int = 10_000) {
        self.clock = clock
        self.maxAge = maxAge
        self.capacity = capacity
    }

    /// The cached value, or what `load` returns (cached when not nil).
    public func value(_ key: String, load: () async throws -> Value?) async rethrows -> Value? {
        let now = clock.now
        if let hit = entries.withLock({ $0[key] }), now - hit.loadedAt < maxAge { return hit.value }
        guard let loaded = try await load() else { return nil }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (loaded, now)
        }
        return loaded
    }

    public func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
