import Crypto
import Domain
import Secrets
import Storage
import Synchronization
import UseCases

/// Turns an `Authorization-PSK` value into a `Principal` (psk.md "Verification"): format and checksum first (no storage),
/// then the in-process cache (positive and negative entries), then storage; then active, expiry, grace window and
/// owner checks. Every failure is the same `CredentialRefused.psk`.
public final class PSKVerifier: Sendable {
    enum CacheEntry: Sendable {
        /// The key, and the principal it stands for (built once, when the entry is loaded).
        case found(Found)
        case missing
    }

    /// A class so that a cache hit copies one reference, not the key's and the principal's dozen strings.
    final class Found: Sendable {
        let match: PSKStore.Match
        let principal: Principal
        /// When this entry last handed its use to `LastUseRecorder`: within a minute of that, a request skips the
        /// recorder's lock and table (an atomic load instead).
        let lastUseHandedOver = Atomic<Int>(Int.min / 2)

        init(match: PSKStore.Match, principal: Principal) {
            self.match = match
            self.principal = principal
        }
    }

    private let database: any Database
    private let clock: EpochClock
    private let cache: ExpiringCache<CacheEntry>
    private let lastUse: LastUseRecorder
    private let failures: FailedUseRecorder
    private let telemetry: Telemetry
    /// Storage look-ups made so far (tests prove that malformed keys never reach storage).
    private let lookups = Atomic<Int>(0)

    public init(database: any Database, clock: EpochClock, telemetry: Telemetry, cacheSeconds: Int = 30) {
        self.database = database
        self.clock = clock
        self.telemetry = telemetry
        self.cache = ExpiringCache(clock: clock, maxAge: cacheSeconds, capacity: 200_000)
        self.lastUse = LastUseRecorder(database: database)
        self.failures = FailedUseRecorder(database: database)
    }

    public var storageLookups: Int { lookups.load(ordering: .relaxed) }

    /// Drops every cached entry; called on any key or user change (here, or announced by another node).
    public func invalidate() { cache.removeAll() }

    /// Waits for pending last-use writes (on shutdown, and in tests).
    public func flushLastUse() async { await lastUse.flush() }

    /// What a key of this kind says it is, so authorization can tell a Personal PSK from a deployment's.
    static func credential(of kind: PSKKind) -> Principal.Credential {
        switch kind {
        case .personal: .personalKey
        case .service: .serviceKey
        case .dataProduct: .dataProductKey
        }
    }

    public func verify(_ presented: String, address: String) async throws -> (Principal, PreSharedKey) {
        guard presented.utf8.count <= PSKFormat.maximumReadLength, PSKFormat.kind(of: presented) != nil else {
            telemetry.psk(.badFormat)
            throw CredentialRefused.psk
        }
        let hash = TokenDigest.sha256Hex(presented)
        var missed = false
        let entry = try await cache.value(hash) {
            missed = true
            lookups.wrappingAdd(1, ordering: .relaxed)
            return try await database.read { sql -> CacheEntry in
                guard let match = try await PSKStore(sql).match(hash: hash) else { return .missing }
                // A data-product key stands for its product only: no roles, whatever its creator holds.
                let roles = match.key.kind == .dataProduct ? [] : try await EffectiveRoles.read(userId: match.key.userId, on: sql).realm
                let principal = Principal(
                    subject: match.key.userId, username: match.username, realm: match.key.realm, roles: Set(roles),
                    credential: Self.credential(of: match.key.kind), dataProductId: match.key.kind == .dataProduct ? match.key.dataProductId : nil,
                    keyId: match.key.id)
                return .found(Found(match: match, principal: principal))
            }
        }
        telemetry.credentialCache(hit: !missed)
        let now = clock.now
        guard case .found(let found)? = entry, found.match.key.isUsable(at: now), found.match.userEnabled,
            found.match.retireAt.map({ $0 > now }) ?? true
        else {
            if case .found? = entry { telemetry.psk(.unusable) } else { telemetry.psk(.unknown) }
            await failures.record(presented: presented, entry: entry, now: now, address: address)
            throw CredentialRefused.psk
        }
        telemetry.psk(.accepted)
        if now - found.lastUseHandedOver.load(ordering: .relaxed) >= LastUseRecorder.interval {
            found.lastUseHandedOver.store(now, ordering: .relaxed)
            lastUse.record(keyId: found.match.key.id, now: now, address: address)
        }
        return (found.principal, found.match.key)
    }
}

/// Writes `last_used_at`/`last_used_ip` at most once a minute per key, off the request path.
final class LastUseRecorder: Sendable {
    /// Seconds between two writes of one key's last use.
    static let interval = 60
    private let database: any Database
    private let written = Mutex<[String: Int]>([:])
    private let pending = Mutex<[Task<Void, Never>]>([])

    init(database: any Database) { self.database = database }

    func record(keyId: String, now: Int, address: String) {
        let due = written.withLock { written -> Bool in
            if let last = written[keyId], now - last < Self.interval { return false }
            if written.count > 200_000 { written.removeAll() }
            written[keyId] = now
            return true
        }
        guard due else { return }
        let database = self.database
        let task = Task { _ = try? await database.transaction { sql in try await PSKStore(sql).touch(id: keyId, at: now, address: address) } }
        pending.withLock { tasks in
            tasks.removeAll { $0.isCancelled }
            if tasks.count > 1_000 { tasks.removeFirst(tasks.count - 1_000) }
            tasks.append(task)
        }
    }

    func flush() async {
        for task in pending.withLock({ tasks in defer { tasks.removeAll() }; return tasks }) { await task.value }
    }
}

/// Audits failed uses of well-formed keys (unknown, revoked, expired), at most one entry per address and second so a
/// flood cannot flood the audit log. Only the hint of the presented key is kept. The write is awaited: the request is
/// failing anyway, and the entry is then in place when the 401 goes out.
final class FailedUseRecorder: Sendable {
    private let database: any Database
    private let recent = Mutex<[String: Int]>([:])

    init(database: any Database) { self.database = database }

    func record(presented: String, entry: PSKVerifier.CacheEntry?, now: Int, address: String) async {
        let due = recent.withLock { recent -> Bool in
            if recent[address] == now { return false }
            if recent.count > 10_000 { recent.removeAll() }
            recent[address] = now
            return true
        }
        guard due else { return }
        var realm = ""
        var keyId: String?
        var action = AuditAction.failedUse
        if case .found(let found)? = entry {
            realm = found.match.key.realm
            keyId = found.match.key.id
            if let expiresAt = found.match.key.expiresAt, expiresAt <= now { action = .expire }
        }
        let event = AuditEvent(
            id: Identifiers.uuid(), realm: realm, at: now, actorId: nil, action: action, keyId: keyId, hint: PSKFormat.hint(presented), address: address,
            detail: keyId == nil ? "unknown key" : "key not usable")
        try? await database.transaction { sql in try await AuditStore(sql).record(event) }
    }
}
