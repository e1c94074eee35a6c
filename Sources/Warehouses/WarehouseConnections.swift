import Domain
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Storage
import Synchronization

/// A PostgreSQL warehouse's connections. postgres-nio's `PostgresClient` opens its channels itself, so nothing can sit
/// between the socket and its decoder; this small pool opens each channel itself, puts a `MessageSizeGuard` there, and
/// hands the channel to postgres-nio (`PostgresConnection.Configuration(establishedChannel:)`). The channels run on
/// event loops of the warehouses' own: whatever a warehouse sends — a malformed giant, a flood of rows — is read on
/// threads that neither HTTP nor the system database use.
final class WarehouseConnections: Sendable {
    /// Threads for every warehouse's connections, apart from the server's event loops.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount / 2))

    /// One pooled connection and what its guard decided.
    final class Pooled: Sendable {
        let connection: PostgresConnection
        let verdict: MessageSizeGuard.Verdict

        init(connection: PostgresConnection, verdict: MessageSizeGuard.Verdict) {
            self.connection = connection
            self.verdict = verdict
        }
    }

    private struct State {
        var idle: [Pooled] = []
        var open = 0
        /// Requests waiting for a connection, first come first served, each by a number its cancellation finds it by.
        var waiters: [(id: Int, continuation: CheckedContinuation<Pooled?, Never>)] = []
        var closed = false
        var nextID = 1
        var nextWaiter = 0
    }

    /// How many requests may wait for a connection, per connection: past that, the warehouse is busy (503), so a
    /// flood of requests cannot queue without end behind the few connections.
    static let waitersPerConnection = 64

    private let url: PostgresURL
    private let startupParameters: [(String, String)]
    private let maximum: Int
    private let rowBytes: Int
    private let messageBytes: Int
    private let logger: Logger
    private let state = Mutex(State())

    init(url: PostgresURL, startupParameters: [(String, String)], maximum: Int, rowBytes: Int, messageBytes: Int, logger: Logger) {
        self.url = url
        self.startupParameters = startupParameters
        self.maximum = maximum
        self.rowBytes = rowBytes
        self.messageBytes = messageBytes
        self.logger = logger
    }

    /// Lends a connection for `body`; one that `body` left closed is dropped, not pooled.
    func withConnection<T: Sendable>(_ body: (Pooled) async throws -> T) async throws -> T {
        let pooled = try await checkOut()
        defer { checkIn(pooled) }
        return try await body(pooled)
    }

    /// Closes the idle connections and refuses new ones (connections in use close when they come back).
    func close() async {
        let (idle, waiters) = state.withLock { state -> ([Pooled], [CheckedContinuation<Pooled?, Never>]) in
            state.closed = true
            defer {
                state.idle.removeAll()
                state.waiters.removeAll()
            }
            return (state.idle, state.waiters.map(\.continuation))
        }
        // Woken empty-handed, each waiting request finds the pool closed and answers `unavailable`.
        for waiter in waiters { waiter.resume(returning: nil) }
        for pooled in idle { try? await pooled.connection.close() }
    }

    private func checkOut() async throws -> Pooled {
        enum Next {
            case ready(Pooled)
            case open(Int)
            case wait
        }
        while true {
            try Task.checkCancellation()
            let next = try state.withLock { state -> Next in
                guard !state.closed else { throw WarehouseError.unavailable }
                while let pooled = state.idle.popLast() {
                    if !pooled.connection.isClosed { return .ready(pooled) }
                    state.open -= 1
                }
                guard state.open < maximum else {
                    guard state.waiters.count < maximum * Self.waitersPerConnection else { throw WarehouseError.unavailable }
                    return .wait
                }
                state.open += 1
                state.nextID += 1
                return .open(state.nextID)
            }
            switch next {
            case .ready(let pooled):
                return pooled
            case .open(let id):
                do {
                    return try await connect(id: id)
                } catch {
                    freePlace()
                    throw error
                }
            case .wait:
                if let handed = await wait() { return handed }
            }
        }
    }

    /// Waits for a connection handed over by `checkIn`, or nil when a place may be free (or the pool closed): the
    /// caller looks again. A request that is cancelled while waiting leaves the queue at once.
    private func wait() async -> Pooled? {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if state.closed || state.open < maximum || !state.idle.isEmpty || Task.isCancelled { return true }
                    state.waiters.append((id, continuation))
                    return false
                }
                if ready { continuation.resume(returning: nil) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Pooled?, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    private func checkIn(_ pooled: Pooled) {
        guard !pooled.connection.isClosed else { return freePlace() }
        let (waiter, close) = state.withLock { state -> (CheckedContinuation<Pooled?, Never>?, Bool) in
            if state.closed {
                state.open -= 1
                return (nil, true)
            }
            if state.waiters.isEmpty {
                state.idle.append(pooled)
                return (nil, false)
            }
            return (state.waiters.removeFirst().continuation, false)
        }
        // Held until the close completes: postgres-nio expects a connection to be closed before it is let go.
        if close { pooled.connection.close().whenComplete { _ in withExtendedLifetime(pooled) {} } }
        waiter?.resume(returning: pooled)
    }

    /// A connection is gone (closed, or never opened): its place is free, and a waiter may take it.
    private func freePlace() {
        let waiter = state.withLock { state -> CheckedContinuation<Pooled?, Never>? in
            state.open -= 1
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst().continuation
        }
        waiter?.resume(returning: nil)
    }

    /// Opens a channel of our own, hands it to postgres-nio, and puts the guard next to its decoder (after TLS, which
    /// postgres-nio adds while it connects).
    private func connect(id: Int) async throws -> Pooled {
        let channel = try await ClientBootstrap(group: Self.eventLoops)
            .connectTimeout(.seconds(10))
            .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connect(host: url.host, port: url.port).get()
        do {
            let tls: PostgresConnection.Configuration.TLS =
                url.requiresTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable
            var configuration = PostgresConnection.Configuration(
                establishedChannel: channel, tls: tls, username: url.username, password: url.password, database: url.database)
            configuration.options.additionalStartupParameters = startupParameters
            // The server's name for TLS verification, unless the host is an address (IPv4 or IPv6), as postgres-nio decides.
            if url.requiresTLS, (try? SocketAddress(ipAddress: url.host, port: 0)) == nil { configuration.options.tlsServerName = url.host }
            let connection = try await PostgresConnection.connect(on: channel.eventLoop, configuration: configuration, id: id, logger: logger)
            let (verdict, rowBytes, messageBytes) = (MessageSizeGuard.Verdict(), self.rowBytes, self.messageBytes)
            try await channel.eventLoop.submit {
                let sizeGuard = MessageSizeGuard(verdict: verdict, rowBytes: rowBytes, messageBytes: messageBytes)
                let pipeline = channel.pipeline.syncOperations
                if let tls = try? pipeline.handler(type: NIOSSLClientHandler.self) {
                    try pipeline.addHandler(sizeGuard, position: .after(tls))
                } else {
                    try pipeline.addHandler(sizeGuard, position: .first)
                }
            }.get()
            return Pooled(connection: connection, verdict: verdict)
        } catch {
            try? await channel.close()
            throw error
        }
    }
}
