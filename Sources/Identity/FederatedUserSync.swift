import Domain
import Synchronization

/// Records the users of federated realms as their tokens arrive, once per user and change: another token of the same
/// user with the same claims writes nothing for `maxAge` seconds, or until any change is announced (a user disabled
/// or deleted here).
public final class FederatedUserSync: Sendable {
    /// Records the user; returns whether they are enabled here.
    public typealias Record = @Sendable (FederatedUser) async throws -> Bool

    private let record: Record
    private let recorded = Mutex<[String: (user: FederatedUser, at: Int, enabled: Bool)]>([:])
    private let capacity = 50_000
    static let maxAge = 300

    public init(record: @escaping Record) { self.record = record }

    /// Whether the token's user may act here: recorded as the local user of that id in that realm, and enabled. A
    /// user who cannot be recorded (their `sub` belongs to a user of another realm, their username to another user of
    /// this one) may not: the token would otherwise act as someone it is not. Failures are the recorder's to log.
    func usable(_ user: FederatedUser, now: Int) async -> Bool {
        let key = "\(user.realm)/\(user.id)"
        if let known = recorded.withLock({ entry in entry[key].flatMap { $0.user == user && now - $0.at < Self.maxAge ? $0.enabled : nil } }) {
            return known
        }
        guard let enabled = try? await record(user) else { return false }
        recorded.withLock { recorded in
            if recorded.count >= capacity { recorded.removeAll(keepingCapacity: true) }
            recorded[key] = (user, now, enabled)
        }
        return enabled
    }

    public func forget() { recorded.withLock { $0.removeAll() } }
}
