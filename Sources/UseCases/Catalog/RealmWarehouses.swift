import Domain
import Logging
import Storage
import Synchronization
import Warehouse

/// The warehouse each realm reads (docs/security.md "Tenant isolation"): its own — a URL whose role reads only that
/// realm's tables, set with `nexusone realm warehouse` — or the server's. A realm's own warehouse opens on first use,
/// after the same admission as the server's (not the system database, no role power beyond reading); realms that
/// name one URL share its pool. Pools close when the server stops.
public final class RealmWarehouses: Sendable {
    /// The server's warehouse (`--warehouse-url`, or the embedded demo).
    public let shared: any Warehouse
    private let database: any Database
    private let secrets: SecretBox
    /// What a realm's own warehouse must pass before it is set and before it is opened.
    public let admission: WarehouseAdmission
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        /// Which warehouse each realm was last seen to read, and when: nil for the shared one, else its URL's digest.
        var resolved: [String: (digest: String?, at: ContinuousClock.Instant)] = [:]
        var own: [String: Own] = [:]
        var stopped = false
    }

    private struct Own: Sendable {
        let warehouse: any Warehouse
        let running: Task<Void, Never>
    }

    public init(shared: any Warehouse, database: any Database, secrets: SecretBox, admission: WarehouseAdmission, logger: Logger) {
        self.shared = shared
        self.database = database
        self.secrets = secrets
        self.admission = admission
        self.logger = logger
    }

    public func warehouse(for realm: String) async throws -> any Warehouse {
        let known = state.withLock { state -> (any Warehouse)?? in
            guard let resolved = state.resolved[realm], ContinuousClock.now - resolved.at < Self.maximumAge else { return .none }
            guard let digest = resolved.digest else { return .some(.none) }
            return state.own[digest].map { .some($0.warehouse) } ?? .none
        }
        switch known {
        case .some(.some(let own)): return own
        case .some(.none): return shared
        case .none: return try await resolve(realm)
        }
    }

    /// How long a realm's choice is kept without a change being announced: the CLI beside a server on SQLite announces
    /// nothing, and is seen within this.
    static let maximumAge = Duration.seconds(5)

    /// Forgets which warehouse each realm reads (a change on some node may have set one): the next call reads it again,
    /// and keeps an already open pool for the same URL.
    public func invalidate() { state.withLock { $0.resolved.removeAll() } }

    /// Runs the shared warehouse until cancelled, then closes every realm's own.
    public func run() async throws {
        try await shared.run()
        let running = state.withLock { state in
            state.stopped = true
            return state.own.values.map(\.running)
        }
        for task in running {
            task.cancel()
            await task.value
        }
    }

    private func resolve(_ realm: String) async throws -> any Warehouse {
        guard let sealed = try await database.read({ sql in try await RealmWarehouseStore(sql).sealedURL(realm: realm) }) else {
            state.withLock { $0.resolved[realm] = (nil, .now) }
            return shared
        }
        let url = try secrets.open(sealed)
        let digest = TokenDigest.sha256Hex(url)
        if let open = state.withLock({ $0.own[digest]?.warehouse }) {
            state.withLock { $0.resolved[realm] = (digest, .now) }
            return open
        }
        do {
            let allowed = try await admission.admit(url: url)
            if !allowed.isEmpty {
                logger.warning("a realm's warehouse role can do more than read", metadata: ["realm": "\(realm)", "powers": "\(allowed.joined(separator: "; "))"])
            }
        } catch let refusal as WarehouseAdmission.Refusal {
            logger.error("a realm's warehouse is refused", metadata: ["realm": "\(realm)", "reason": "\(refusal.description)"])
            throw WarehouseError.unavailable
        }
        let opened = try WarehouseFactory.make(url: url, logger: logger)
        let running = Task { _ = try? await opened.run() }
        // postgres-nio wants its pool's run() under way before the first query.
        try await Task.sleep(for: .milliseconds(5))
        let (chosen, kept) = state.withLock { state -> ((any Warehouse)?, Bool) in
            guard !state.stopped else { return (nil, false) }
            state.resolved[realm] = (digest, .now)
            if let raced = state.own[digest] { return (raced.warehouse, false) }
            state.own[digest] = Own(warehouse: opened, running: running)
            return (opened, true)
        }
        if !kept { running.cancel() }
        guard let chosen else { throw WarehouseError.unavailable }
        return chosen
    }
}
