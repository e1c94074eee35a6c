import Domain
import Foundation
import Logging
import SQLKit
import SQLiteSandbox
import Storage
import SQLiteKit
import SQLiteNIO
import Synchronization

/// The embedded warehouse: a SQLite file. User SQL runs in the sandbox (`SandboxPool`: read-only connections of the
/// system's SQLite with an authorizer, a deadline and byte limits); the table list is read through one read-only
/// SQLiteNIO connection, which also serializes statements in SQLite's dialect.
public final class SQLiteWarehouse: Warehouse {
    public let kind = WarehouseKind.sqlite
    public let path: String
    private let logger: Logger
    private let metadata = Mutex<Task<SQLiteConnection, any Error>?>(nil)
    private let sandbox: SandboxPool
    static let connectionCount = 3

    public init(path: String, statementTimeout: Duration = WarehouseLimits.statementTimeout, logger: Logger) {
        self.path = (path as NSString).isAbsolutePath ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.logger = logger
        sandbox = SandboxPool(
            path: self.path, size: Self.connectionCount, limits: SandboxLimits(timeout: statementTimeout, pageBytes: WarehouseLimits.pageBytes))
    }

    public func tables() async throws -> [WarehouseTable] {
        let connection = try await metadataConnection()
        let names = try await connection.query(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).compactMap { $0.column("name")?.string }
        var tables: [WarehouseTable] = []
        for name in names {
            let columns = try await connection.query("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid", [.text(name)]).map {
                WarehouseColumn(name: $0.column("name")?.string ?? "", type: ($0.column("type")?.string ?? "").lowercased())
            }
            tables.append(WarehouseTable(name: name, columns: columns))
        }
        return tables
    }

    public func select(_ statement: WarehouseStatement) async throws -> ResultSet {
        var serializer = SQLSerializer(database: try await metadataConnection().sql(queryLogLevel: nil))
        statement.expression.serialize(to: &serializer)
        do {
            let binds = try serializer.binds.map { try SandboxBind.from($0) }
            return try await sandbox.run(serializer.sql, binds: binds, maximumRows: statement.maximumRows, scope: statement.scope.tables)
        } catch let error as SandboxError {
            switch error {
            case .query(let message): throw WarehouseError.refused(message)
            case .tooLarge(let limit): throw WarehouseError.tooLarge(limit: limit)
            case .unavailable:
                logger.error("cannot open the warehouse", metadata: ["path": "\(path)"])
                throw WarehouseError.unavailable
            }
        }
    }

    public func ensureDemoData() async throws -> Bool {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        OwnerOnlyFiles.prepareDatabase(path)
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            let sql = connection.sql(queryLogLevel: nil)
            _ = try await connection.query("PRAGMA foreign_keys=ON")
            let loaded = await DemoDataSet.isLoaded(on: sql)
            if !loaded {
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    try await DemoDataSet.load(on: sql, kind: .sqlite)
                    try await sql.raw("COMMIT").run()
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
            try await connection.close()
            return !loaded
        } catch {
            try? await connection.close()
            throw error
        }
    }

    public func run() async throws {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        await sandbox.shutdown()
        guard let task = metadata.withLock({ $0 }), let connection = try? await task.value else { return }
        // Closing runs on SQLite's thread pool, which refuses work from a cancelled task: close from a fresh one.
        await Task { try? await connection.close() }.value
    }

    /// The read-only connection for the table list and the dialect, opened on first use.
    private func metadataConnection() async throws -> SQLiteConnection {
        let task = metadata.withLock { task in
            if let task { return task }
            let (path, logger) = (self.path, self.logger)
            let created = Task { try await Self.openReadOnly(path: path, logger: logger) }
            task = created
            return created
        }
        do {
            return try await task.value
        } catch {
            metadata.withLock { $0 = nil }  // try again on the next request (the file may appear later)
            logger.error("cannot open the warehouse", metadata: ["path": "\(path)", "error": "\(error)"])
            throw WarehouseError.unavailable
        }
    }

    private static func openReadOnly(path: String, logger: Logger) async throws -> SQLiteConnection {
        guard FileManager.default.fileExists(atPath: path) else { throw WarehouseError.unavailable }
        let uri = "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?mode=ro"
        let connection = try await SQLiteConnection.open(storage: .file(path: uri), logger: logger)
        _ = try await connection.query("PRAGMA query_only=ON")
        _ = try await connection.query("PRAGMA busy_timeout=5000")
        return connection
    }
}
