import ServiceLifecycle
import Warehouse

/// Keeps the warehouse's connections (a PostgreSQL pool, or the read-only SQLite handles) open while the server runs.
struct WarehouseService: Service, CustomStringConvertible {
    /// How ServiceLifecycle names it in logs: never a dump of what it holds (the configuration, keys).
    var description: String { "WarehouseService" }

    let warehouse: any Warehouse

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await warehouse.run() }
    }
}
