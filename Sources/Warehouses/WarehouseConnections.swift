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
        var waiters: [CheckedContinuation<Pooled?, Never>] = []
        var closed = false
        var nextID = 1
    }

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
        let idle = state.withLock { state -> [Pooled] in
            state.closed = true
            defer { state.idle.removeAll() }
            return state.idle
        }
        for pooled in idle { try? await pooled.connection.close() }
    }

    private func checkOut() async throws -> Pooled {
        enum Next {
            case ready(Pooled)
            case open(Int)
            case wait
        }
        while true {
            let next = try state.withLock { state -> Next in
                guard !state.closed else { throw WarehouseError.unavailable }
                while let pooled = state.idle.popLast() {
                    if !pooled.connection.isClosed { return .ready(pooled) }
                    state.open -= 1
                }
                guard state.open < maximum else { return .wait }
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
                let handed = await withCheckedContinuation { continuation in
                    let ready = state.withLock { state -> Bool in
                        if state.closed || state.open < maximum || !state.idle.isEmpty { return true }
                        state.waiters.append(continuation)
                        return false
                    }
                    if ready { continuation.resume(returning: nil) }
                }
                if let handed { return handed }
            }
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
            return (state.waiters.removeFirst(), false)
        }
        if close { pooled.connection.close().whenComplete { _ in } }
        waiter?.resume(returning: pooled)
    }

    /// A connection is gone (closed, or never opened): its place is free, and a waiter may take it.
    private func freePlace() {
        let waiter = state.withLock { state -> CheckedContinuation<Pooled?, Never>? in
            state.open -= 1
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
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
            if url.requiresTLS, url.host.first?.isNumber == false, !url.host.contains(":") { configuration.options.tlsServerName = url.host }
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
