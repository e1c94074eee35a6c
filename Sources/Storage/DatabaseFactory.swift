import Foundation
import Logging

/// Opens the system database named by a URL (or the default SQLite file) and keeps it running for a scope.
public enum DatabaseFactory {
    /// `postgres://…` → PostgreSQL; `sqlite:///path` or a plain path → SQLite.
    public static func open(url: String, logger: Logger) async throws -> any Database {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return try PostgresStore(url: url, logger: logger)
        }
        let path = url.hasPrefix("sqlite://") ? String(url.dropFirst("sqlite://".count)) : url
        return try await SQLiteStore.open(path: path, logger: logger)
    }

    /// Runs `body` with the database's background work running beside it, and stops that work afterwards.
    public static func withDatabase<T: Sendable>(
        _ database: any Database,
        _ body: @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await database.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(database)
        }
    }
}
