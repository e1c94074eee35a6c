import Foundation
import Logging

/// Opens the system database named by a URL (or the default SQLite file) and keeps it running for a scope.
public enum DatabaseFactory {
    /// `postgres://…` → PostgreSQL; `sqlite:///path` or a plain path → SQLite.
    public static func open(url: String, logger: Logger) async throws -> any Database {
        guard let path = sqlitePath(url: url) else { return try PostgresStore(url: url, logger: logger) }
        return try await SQLiteStore.open(path: path, logger: logger)
    }

    /// The file a SQLite URL names, or nil for PostgreSQL.
    public static func sqlitePath(url: String) -> String? {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return nil }
        return url.hasPrefix("sqlite://") ? String(url.dropFirst("sqlite://".count)) : url
    }

    /// Runs `body` with the database's background work running beside it, and stops that work afterwards.
    public static func withDatabase<T: Sendable>(
        _ database: any Database,
        _ body: @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await withBackground({ try await database.run() }, settling: database.kind == .postgres) { try await body(database) }
    }

    /// Runs `body` while `background` (a connection pool's `run()`) runs beside it, and cancels it afterwards.
    ///
    /// `settling`: the body waits a few milliseconds after `background` was entered. A postgres-nio pool used before
    /// its `run()` marked itself running works, but warns ("run() hasn't been called yet"); it marks itself before
    /// its first suspension, yet nothing tells us when that was (the warning showed up once in three test runs
    /// with the handshake alone).
    public static func withBackground<T: Sendable>(
        _ background: @escaping @Sendable () async throws -> Void,
        settling: Bool = true,
        _ body: () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            let (started, start) = AsyncStream<Void>.makeStream()
            group.addTask {
                start.finish()
                try await background()
                return nil
            }
            defer { group.cancelAll() }
            for await _ in started {}
            if settling { try await Task.sleep(for: .milliseconds(5)) }
            return try await body()
        }
    }
}
