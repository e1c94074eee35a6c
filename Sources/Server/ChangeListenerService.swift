import HTTPKit
import Identity
import ServiceLifecycle
import Storage

/// Empties this node's caches whenever another node announces a change (PostgreSQL LISTEN/NOTIFY), so a revoked key
/// or a disabled user is refused here within a second.
struct ChangeListenerService: Service, CustomStringConvertible {
    /// How ServiceLifecycle names it in logs: never a dump of what it holds (the configuration, keys).
    var description: String { "ChangeListenerService" }

    let services: Services

    func run() async throws {
        let notifier = services.notifier
        try await cancelWhenGracefulShutdown {
            try await services.database.listenForChanges { notifier.notify() }
        }
    }
}
