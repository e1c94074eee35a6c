import Foundation
import Logging
import SQLKit
import SQLiteKit

/// The embedded system database: one write connection (WAL, `BEGIN IMMEDIATE`) behind a gate, and a
/// separate read connection so reads never wait for writers.
public final class SQLiteStore: Database {
    public let kind = DatabaseKind.sqlite
    private let writer: SQLiteConnection
    private let reader: SQLiteConnection
    private let gate = AsyncGate()
    private let readerUse = ConnectionLane(capacity: 1)
    private let writerUse = ConnectionLane(capacity: 1)

    public static func open(path: String, logger: Logger) async throws -> SQLiteStore {
        OwnerOnlyFiles.prepareDatabase(path)
        let writer = try await open(path: path, pragmas: ["journal_mode=WAL", "synchronous=NORMAL"], logger: logger)
        do {
            let reader = try await open(path: path, pragmas: [], logger: logger)
            return SQLiteStore(writer: writer, reader: reader)
        } catch {
            try? await writer.close()
            throw error
        }
    }

    private static func open(path: String, pragmas: [String], logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            for pragma in pragmas + ["foreign_keys=ON", "busy_timeout=5000"] {
                _ = try await connection.query("PRAGMA \(pragma)")
            }
            return connection
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private init(writer: SQLiteConnection, reader: SQLiteConnection) {
        self.writer = writer
        self.reader = reader
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        // Reads share the one reader connection (SQLite queues them on it): those beyond the first count as waiting.
        try await readerUse.holding { try await mapErrors { try await body(reader.sql(queryLogLevel: nil)) } }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await writerUse.asking { try await gate.withLock { try await writerUse.holding { try await writerTransaction(body) } } }
    }

    private func writerTransaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let sql = writer.sql(queryLogLevel: nil)
        try await sql.raw("BEGIN IMMEDIATE").run()
        do {
            let result = try await mapErrors { try await body(sql) }
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    public var poolStatistics: PoolStatistics { readerUse.statistics + writerUse.statistics }

    public func run() async throws {
        // Nothing runs in the background; hold the connections until cancelled, then close them.
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        // Closing runs on SQLite's thread pool, which refuses work from a cancelled task: close from a fresh one.
        let (reader, writer) = (self.reader, self.writer)
        await Task {
            try? await reader.close()
            try? await writer.close()
        }.value
    }

    public func announceChange(on sql: any SQLDatabase) async throws {}

    /// One node per SQLite file: nothing to hear from.
    public func listenForChanges(_ onChange: @escaping @Sendable () -> Void) async throws {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
    }

    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SQLiteError where error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed {
            throw StorageError.duplicate
        } catch let error as SQLiteError where error.reason == .constraintForeignKeyFailed {
            throw StorageError.missingReference
        }
    }
}
