import ServiceLifecycle
import UseCases

/// Keeps the warehouses' connections (PostgreSQL pools, or the read-only SQLite handles) open while the server runs:
/// the server's own, and those of realms that read a warehouse of their own.
struct WarehouseService: Service, CustomStringConvertible {
    /// How ServiceLifecycle names it in logs: never a dump of what it holds (the configuration, keys).
    var description: String { "WarehouseService" }

    let warehouses: RealmWarehouses

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await warehouses.run() }
    }
}
