import SQLKit
import Synchronization

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
    /// Connections in use, idle and waited for, right now (the `/metrics` pool gauges).
    var poolStatistics: PoolStatistics { get }
}

public enum DatabaseKind: String, Sendable {
    case sqlite
    case postgres
}

/// Storage failures that callers may want to tell apart.
public enum StorageError: Error, Equatable {
    /// A unique constraint refused the write (duplicate name, id, …).
    case duplicate
    /// A foreign key refused the write: what it points at was deleted meanwhile (by a transaction that committed first).
    case missingReference
    /// Text the database cannot hold or compare (a NUL character on PostgreSQL): the input's fault, a 400.
    case unstorableText
    /// The database cannot be reached right now; callers answer 503 and service resumes when it is back.
    case unavailable
    case unsupportedURL(String)
}

extension Database {
    /// Whether the database answers a trivial query within `limit` (readiness checks). A database that does not
    /// answer at all — a dead host, a full pool — is "no" when the time is up, not when the driver gives up.
    public func isReachable(within limit: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            let answer = AnswerOnce(continuation)
            let check = Task { answer.give((try? await read { sql in try await sql.raw("SELECT 1 AS ok").all() }) != nil) }
            Task {
                try? await Task.sleep(for: limit)
                check.cancel()
                answer.give(false)
            }
        }
    }
}

/// Resumes a continuation with the first answer given; later answers are dropped.
private final class AnswerOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

    init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = Mutex(continuation) }

    func give(_ answer: Bool) {
        continuation.withLock { pending in
            pending?.resume(returning: answer)
            pending = nil
        }
    }
}
