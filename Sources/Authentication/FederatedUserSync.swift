import Domain
import Synchronization

/// Records the users of federated realms as their tokens arrive, once per user and change: another token of the same
/// user with the same claims writes nothing for `maxAge` seconds (after which a user deleted here comes back).
public final class FederatedUserSync: Sendable {
    public typealias Record = @Sendable (FederatedUser) async throws -> Void

    private let record: Record
    private let recorded = Mutex<[String: (user: FederatedUser, at: Int)]>([:])
    private let capacity = 50_000
    static let maxAge = 300

    public init(record: @escaping Record) { self.record = record }

    /// Failures are the recorder's to log; the token stays valid, and the next one tries again.
    func seen(_ user: FederatedUser, now: Int) async {
        let key = "\(user.realm)/\(user.id)"
        if recorded.withLock({ entry in entry[key].map { $0.user == user && now - $0.at < Self.maxAge } ?? false }) { return }
        guard (try? await record(user)) != nil else { return }
        recorded.withLock { recorded in
            if recorded.count >= capacity { recorded.removeAll(keepingCapacity: true) }
            recorded[key] = (user, now)
        }
    }
}
