import NIOCore
import NIOPosix
import Synchronization

/// Threads for password hashing only (bcrypt, and the PBKDF2 and Argon2 hashes imported from Keycloak), apart from
/// the system database's and the event loops': a flood of sign-ins keeps these busy, never the threads that every
/// other request, readiness included, needs. Half the cores (at least one) hash, so the rest of the server always has
/// a core. Sign-ins beyond the threads and a short queue are turned away at once (`Busy`: 503 with `Retry-After`)
/// instead of waiting longer and longer.
public final class HashingPool: Sendable {
    /// Every thread and every place in the queue is taken.
    public struct Busy: Error, Sendable {
        /// What `Retry-After` says: about how long the queue takes to drain.
        public static let retryAfter = 1
    }

    /// One per process, like `NIOThreadPool.singleton`: the cores it shares are the process's.
    public static let shared = HashingPool(threads: max(1, System.coreCount / 2), queuePerThread: 64)

    private let threads: NIOThreadPool
    private let capacity: Int
    private let inFlight = Atomic<Int>(0)

    public init(threads count: Int, queuePerThread: Int) {
        threads = NIOThreadPool(numberOfThreads: count)
        threads.start()
        capacity = count * (1 + queuePerThread)
    }

    /// Jobs running or queued now.
    var inFlightCount: Int { inFlight.load(ordering: .relaxed) }

    /// Runs `work` on a hashing thread. `limited`: throws `Busy` at once when the threads and the queue are full (a
    /// sign-in); otherwise waits its turn (an administrator setting a password).
    public func run<T: Sendable>(limited: Bool, _ work: @escaping @Sendable () -> T) async throws -> T {
        let waiting = inFlight.wrappingAdd(1, ordering: .relaxed).newValue
        defer { inFlight.wrappingSubtract(1, ordering: .relaxed) }
        if limited && waiting > capacity { throw Busy() }
        return try await threads.runIfActive(work)
    }
}
