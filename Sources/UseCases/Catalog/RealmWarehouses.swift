import Domain
import Logging
import Secrets
import Storage
import Synchronization
import Warehouses

/// The warehouse each realm reads (docs/security.md "Tenant isolation"): its own — a URL whose role reads only that
/// realm's tables, set with `nexusone realm warehouse` — or the server's. A realm's own warehouse opens on first use,
/// after the same admission as the server's (not the system database, no role power beyond reading); realms that
/// name one URL share its pool, simultaneous first uses open it once, and a pool no realm names any more is closed.
public final class RealmWarehouses: Sendable {
    /// The server's warehouse (`--warehouse-url`, or the embedded demo).
    public let shared: any Warehouse
    /// What a realm's own warehouse must pass before it is set and before it is opened.
    public let admission: WarehouseAdmission
    private let database: any Database
    private let secrets: SecretBox
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        /// Which warehouse each realm was last seen to read, and when: nil for the shared one, else its URL's digest.
        var resolved: [String: (digest: String?, at: ContinuousClock.Instant)] = [:]
        /// The same, kept across changes: a pool that no realm's latest choice names is closed.
        var latest: [String: String?] = [:]
        var own: [String: Own] = [:]
        var opening: [String: Task<any Warehouse, any Error>] = [:]
        /// URLs refused by the admission, and when: asked again only after `maximumAge`.
        var refused: [String: ContinuousClock.Instant] = [:]
        var stopped = false
    }

    private struct Own: Sendable {
        let warehouse: any Warehouse
        let running: Task<Void, Never>
    }

    /// How long a realm's choice, or a refusal, is kept without a change being announced: the CLI beside a server on
    /// SQLite announces nothing, and is seen within this.
    static let maximumAge = Duration.seconds(5)

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
            record(realm, digest: nil)
            return shared
        }
        let url = try secrets.open(sealed)
        let digest = TokenDigest.sha256Hex(url)
        let next = state.withLock { state -> Result<Task<any Warehouse, any Error>, WarehouseError>? in
            if state.own[digest] != nil { return nil }
            if let refusedAt = state.refused[digest], ContinuousClock.now - refusedAt < Self.maximumAge { return .failure(.unavailable) }
            if let opening = state.opening[digest] { return .success(opening) }
            // Not the request's task: a request that gives up does not leave a pool half opened.
            let opening = Task { try await self.open(url, digest: digest) }
            state.opening[digest] = opening
            return .success(opening)
        }
        let warehouse: any Warehouse
        switch next {
        case nil:
            guard let open = state.withLock({ $0.own[digest]?.warehouse }) else { throw WarehouseError.unavailable }
            warehouse = open
        case .failure(let refused): throw refused
        case .success(let opening): warehouse = try await opening.value
        }
        record(realm, digest: digest)
        return warehouse
    }

    /// Admits and opens the warehouse at `url`, remembering a refusal for `maximumAge`.
    private func open(_ url: String, digest: String) async throws -> any Warehouse {
        do {
            let allowed = try await admission.admit(url: url)
            if !allowed.isEmpty {
                logger.warning("a realm's warehouse role can do more than read", metadata: ["powers": "\(allowed.joined(separator: "; "))"])
            }
        } catch {
            if let refusal = error as? WarehouseAdmission.Refusal {
                logger.error("a realm's warehouse is refused", metadata: ["reason": "\(refusal.description)"])
            } else {
                logger.error("a realm's warehouse cannot be reached", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            }
            state.withLock { state in
                state.refused[digest] = .now
                state.opening[digest] = nil
            }
            throw WarehouseError.unavailable
        }
        let opened = try WarehouseFactory.make(url: url, logger: logger)
        let running = Task { _ = try? await opened.run() }
        let kept = state.withLock { state -> Bool in
            state.opening[digest] = nil
            guard !state.stopped else { return false }
            state.own[digest] = Own(warehouse: opened, running: running)
            return true
        }
        guard kept else {
            running.cancel()
            throw WarehouseError.unavailable
        }
        return opened
    }

    /// Notes the realm's choice; a pool that the realm named before and no realm names now is closed.
    private func record(_ realm: String, digest: String?) {
        let unused = state.withLock { state -> Own? in
            state.resolved[realm] = (digest, .now)
            guard let previous = state.latest.updateValue(digest, forKey: realm) ?? nil, previous != digest,
                !state.latest.values.contains(where: { $0 == previous })
            else { return nil }
            return state.own.removeValue(forKey: previous)
        }
        unused?.running.cancel()
    }
}
