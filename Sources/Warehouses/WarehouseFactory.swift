import Foundation
import Logging

/// The warehouse a configuration names: PostgreSQL for `postgres://…`, else a SQLite file (the demo warehouse).
public enum WarehouseFactory {
    public static func make(url: String, logger: Logger) throws -> any Warehouse {
        if WarehouseURL.isPostgres(url) { return try PostgresWarehouse(url: url, logger: logger) }
        let path = url.hasPrefix("sqlite://") ? String(url.dropFirst("sqlite://".count)) : url
        return SQLiteWarehouse(path: path, logger: logger)
    }
}
