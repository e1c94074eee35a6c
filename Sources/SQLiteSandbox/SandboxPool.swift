import Domain
import NIOPosix
import Synchronization

/// The sandbox's connections and the threads they run on. A statement takes a connection for itself and runs on the
/// warehouse's own thread pool, so a statement that runs until its deadline never holds up the system database's
/// threads; requests beyond the pool's size wait for a connection.
public final class SandboxPool: Sendable {
    private struct State {
        var idle: [SandboxConnection] = []
        var opened = 0
        var waiters: [CheckedContinuation<SandboxConnection?, Never>] = []
    }

    private let path: String
    private let limits: SandboxLimits
    private let size: Int
    private let threads: NIOThreadPool
    private let state = Mutex(State())

    public init(path: String, size: Int, limits: SandboxLimits) {
        self.path = path
        self.size = size
        self.limits = limits
        threads = NIOThreadPool(numberOfThreads: size)
        threads.start()
    }

    /// Runs `sql` on a connection of its own and returns at most `maximumRows` rows, reading only the tables in `scope`
    /// (lower-cased; nil for all); cancelling the calling task ends the statement.
    public func run(_ sql: String, binds: [SandboxBind], maximumRows: Int, scope: Set<String>?) async throws -> ResultSet {
        let connection = try await checkOut()
        let cancellation = SandboxCancellation()
        // The progress handler ends a statement between virtual-machine steps; one long function call (LIKE on a long
        // value) has none, so a watchdog interrupts it shortly after the deadline.
        let watchdog = Task { [timeout = limits.timeout] in
            guard (try? await Task.sleep(for: timeout + .milliseconds(250))) != nil else { return }
            cancellation.stop(.deadline)
            connection.interrupt()
        }
        let result: Result<ResultSet, any Error>
        do {
            result = .success(
                try await withTaskCancellationHandler {
                    try await threads.runIfActive { try connection.run(sql, binds: binds, maximumRows: maximumRows, scope: scope, cancellation: cancellation) }
                } onCancel: {
                    cancellation.stop(.cancelled)
                })
        } catch {
            result = .failure(error)
        }
        // The watchdog is over before the connection serves anyone else, so it can never interrupt the next statement.
        watchdog.cancel()
        await watchdog.value
        checkIn(connection)
        return try result.get()
    }

    /// Closes the idle connections and stops the threads (connections in use close when they are released).
    public func shutdown() async {
        state.withLock { $0.idle.removeAll() }  // their deinit closes them
        try? await threads.shutdownGracefully()
    }

    private func checkOut() async throws -> SandboxConnection {
        enum Next {
            case ready(SandboxConnection)
            case open
            case wait
        }
        let next: Next = state.withLock { state in
            if let connection = state.idle.popLast() { return .ready(connection) }
            if state.opened < size {
                state.opened += 1
                return .open
            }
            return .wait
        }
        switch next {
        case .ready(let connection):
            return connection
        case .open:
            do {
                let (path, limits) = (self.path, self.limits)
                return try await threads.runIfActive { try SandboxConnection.open(path: path, limits: limits) }
            } catch {
                releaseFailedOpen()
                throw error
            }
        case .wait:
            let handed = await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if state.opened < size || !state.idle.isEmpty { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if ready { continuation.resume(returning: nil) }
            }
            if let handed { return handed }
            return try await checkOut()
        }
    }

    private func checkIn(_ connection: SandboxConnection) {
        let waiter = state.withLock { state -> CheckedContinuation<SandboxConnection?, Never>? in
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }

    /// A connection that failed to open frees its place; a waiter may try instead.
    private func releaseFailedOpen() {
        let waiter = state.withLock { state -> CheckedContinuation<SandboxConnection?, Never>? in
            state.opened -= 1
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
        }
        waiter?.resume(returning: nil)
    }
}
