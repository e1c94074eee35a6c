import Domain
import Secrets
import Storage
import Warehouses

/// Gives a realm a warehouse of its own, or gives it the server's back (`nexusone realm warehouse`): the operator's
/// alone, since the URL carries a database credential. The URL passes the server's admission first (not the system
/// database, no role power beyond reading), is sealed at rest, and the change is announced, so every node reads the
/// realm's next statement from the warehouse now set. Returns the role powers allowed despite the admission
/// (`--allow-privileged-warehouse`), for the caller to show.
public struct SetRealmWarehouse: Sendable {
    let changes: ChangeLog
    let secrets: SecretBox
    let warehouses: RealmWarehouses
    let clock: EpochClock

    public init(changes: ChangeLog, secrets: SecretBox, warehouses: RealmWarehouses, clock: EpochClock) {
        self.changes = changes
        self.secrets = secrets
        self.warehouses = warehouses
        self.clock = clock
    }

    public enum Refusal: Error, CustomStringConvertible {
        case notOperator
        case noSuchRealm(String)
        case notAdmitted(String)

        public var description: String {
            switch self {
            case .notOperator: "only the operator sets a realm's warehouse"
            case .noSuchRealm(let realm): "no realm named \(realm)"
            case .notAdmitted(let reason): reason
            }
        }
    }

    /// `url` nil: the realm reads the server's warehouse again.
    @discardableResult
    public func callAsFunction(_ actor: Principal, realm: String, url: String?) async throws -> [String] {
        guard actor.credential == .operatorCLI else { throw Refusal.notOperator }
        var allowed: [String] = []
        if let url {
            do {
                allowed = try await warehouses.admission.admit(url: url)
            } catch let refusal as WarehouseAdmission.Refusal {
                throw Refusal.notAdmitted(refusal.description)
            }
        }
        let sealed = try url.map { try secrets.seal($0) }
        let now = clock.now
        try await changes.commit { sql in
            guard try await RealmStore(sql).find(realm) != nil else { throw Refusal.noSuchRealm(realm) }
            if let sealed { try await RealmWarehouseStore(sql).set(realm: realm, sealedURL: sealed, at: now) } else {
                try await RealmWarehouseStore(sql).remove(realm: realm)
            }
        }
        return allowed
    }
}
