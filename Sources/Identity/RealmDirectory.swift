import Domain
import Secrets
import Storage
import Synchronization
import Tokens

/// In-process cache of each realm's settings and key ring, so token issue and verify read no storage on the hot path.
///
/// Entries are refreshed after `maxAge` seconds (so a change made by another node is seen) and dropped at once when
/// this node changes a realm or rotates its keys.
public final class RealmDirectory: Sendable {
    public struct Entry: Sendable {
        public let realm: Realm
        public let keys: RealmKeyRing
        /// Per-subject not-before times set within the longest token lifetime (older ones can refuse nothing).
        let userCutOffs: [String: Int]
        let loadedAt: Int

        /// Tokens of `user` issued before this epoch second are refused: the realm's policy or the user's own.
        public func notBefore(user: String) -> Int { max(realm.notBefore, userCutOffs[user] ?? 0) }
    }

    private let database: any Database
    private let secrets: SecretBox
    private let clock: EpochClock
    private let maxAge: Int
    private let entries = Mutex<[String: Entry]>([:])

    public init(database: any Database, secrets: SecretBox, clock: EpochClock, maxAge: Int = 30) {
        self.database = database
        self.secrets = secrets
        self.clock = clock
        self.maxAge = maxAge
    }

    /// The realm and its keys, or nil when no such realm exists.
    public func entry(_ name: String) async throws -> Entry? {
        let now = clock.now
        if let cached = entries.withLock({ $0[name] }), now - cached.loadedAt < maxAge { return cached }
        guard let loaded = try await load(name, now: now) else {
            entries.withLock { _ = $0.removeValue(forKey: name) }
            return nil
        }
        entries.withLock { $0[name] = loaded }
        return loaded
    }

    /// Forgets every realm (another node may have changed any of them).
    public func invalidateAll() {
        entries.withLock { $0.removeAll() }
    }

    /// Forgets a realm so the next use reads storage again.
    public func invalidate(_ name: String) {
        entries.withLock { _ = $0.removeValue(forKey: name) }
    }

    private func load(_ name: String, now: Int) async throws -> Entry? {
        let (realm, stored, cutOffs) = try await database.read { sql in
            (
                try await RealmStore(sql).find(name), try await SigningKeyStore(sql).live(realm: name, now: now),
                try await TokenCutOffStore(sql).cutOffs(realm: name, after: now - Realm.lifespanRange.upperBound)
            )
        }
        guard let realm else { return nil }
        let keys = try stored.map { key in
            KeyMaterial(
                algorithm: key.algorithm, kid: key.kid, privateKey: try secrets.open(key.sealedPrivateKey),
                isActive: key.status == .active)
        }
        return Entry(realm: realm, keys: try await RealmKeyRing(realm: name, keys: keys), userCutOffs: cutOffs, loadedAt: now)
    }
}
