import SQLKit

/// The system database: SQLite (embedded default) or PostgreSQL, behind one interface.
///
/// Every write goes through `transaction`, so things that belong together commit together.
public protocol Database: Sendable {
    var kind: DatabaseKind { get }
    /// Runs reads on a connection that sees committed data.
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs `body` in one transaction: all of it commits, or none of it.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Keeps background machinery (connection pools) alive until cancelled, then releases it.
    func run() async throws
    /// Tells every node sharing this database that cached state changed; delivered when the transaction commits.
    /// A no-op for SQLite, which serves a single node.
    func announceChange(on sql: any SQLDatabase) async throws
    /// Calls `onChange` whenever any node announces a change, until cancelled.
    func listenForChanges(_ onChange: @escaping @Sendable () -> Void) async throws
}

public enum DatabaseKind: String, Sendable {
    case sqlite
    case postgres
}

/// Storage failures that callers may want to tell apart.
public enum StorageError: Error, Equatable {
    /// A unique constraint refused the write (duplicate name, id, …).
    case duplicate
    /// The database cannot be reached right now; callers answer 503 and service resumes when it is back.
    case unavailable
    case unsupportedURL(String)
}

extension Database {
    /// Whether the database answers a trivial query (readiness checks).
    public func isReachable() async -> Bool {
        (try? await read { sql in try await sql.raw("SELECT 1 AS ok").all() }) != nil
    }
}
