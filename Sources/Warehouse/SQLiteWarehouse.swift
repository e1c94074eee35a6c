import Foundation
import Logging
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// The embedded warehouse: a SQLite file read through a few connections opened `mode=ro` with `query_only`, so
/// nothing a user sends can change it. SQLite cannot interrupt a running statement from outside through SQLiteNIO, so
/// the guard here is what may run at all (`ReadOnlySQL` refuses recursive CTEs) plus the row cap every page carries.
public final class SQLiteWarehouse: Warehouse {
    public let kind = WarehouseKind.sqlite
    public let path: String
    private let logger: Logger
    private let opened = Mutex<Task<[SQLiteConnection], any Error>?>(nil)
    private let next = Atomic<Int>(0)
    static let connectionCount = 3

    public init(path: String, logger: Logger) {
        self.path = (path as NSString).isAbsolutePath ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.logger = logger
    }

    public func tables() async throws -> [WarehouseTable] {
        let connection = try await connection()
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

    public func select(_ statement: any SQLExpression) async throws -> ResultSet {
        let connection = try await connection()
        var serializer = SQLSerializer(database: connection.sql())
        statement.serialize(to: &serializer)
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        let rows: [SQLiteRow]
        do {
            rows = try await connection.query(serializer.sql, binds)
        } catch let error as SQLiteError {
            throw WarehouseError.query(error.message)
        }
        guard let first = rows.first else { return ResultSet(columns: [], rows: []) }
        return ResultSet(columns: first.columns.map(\.name), rows: rows.map { row in row.columns.map { Self.cell($0.data) } })
    }

    public func ensureDemoData() async throws -> Bool {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            let sql = connection.sql()
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

    static func cell(_ data: SQLiteData) -> Cell {
        switch data {
        case .integer(let value): .integer(value)
        case .float(let value): .real(value)
        case .text(let value): .text(value)
        case .blob(let buffer): .text(buffer.readableBytesView.map { String(format: "%02x", $0) }.joined())
        case .null: .null
        }
    }

    public func run() async throws {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        guard let task = opened.withLock({ $0 }), let connections = try? await task.value else { return }
        // Closing runs on SQLite's thread pool, which refuses work from a cancelled task: close from a fresh one.
        await Task { for connection in connections { try? await connection.close() } }.value
    }

    /// One of the read-only connections, round robin; they are opened on first use.
    private func connection() async throws -> SQLiteConnection {
        let task = opened.withLock { task in
            if let task { return task }
            let (path, logger) = (self.path, self.logger)
            let created = Task { try await Self.openReadOnly(path: path, count: Self.connectionCount, logger: logger) }
            task = created
            return created
        }
        let connections: [SQLiteConnection]
        do {
            connections = try await task.value
        } catch {
            opened.withLock { $0 = nil }  // try again on the next request (the file may appear later)
            logger.error("cannot open the warehouse", metadata: ["path": "\(path)", "error": "\(error)"])
            throw WarehouseError.unavailable
        }
        return connections[next.wrappingAdd(1, ordering: .relaxed).oldValue % connections.count]
    }

    private static func openReadOnly(path: String, count: Int, logger: Logger) async throws -> [SQLiteConnection] {
        guard FileManager.default.fileExists(atPath: path) else { throw WarehouseError.unavailable }
        let uri = "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?mode=ro"
        var connections: [SQLiteConnection] = []
        for _ in 0..<count {
            let connection = try await SQLiteConnection.open(storage: .file(path: uri), logger: logger)
            _ = try await connection.query("PRAGMA query_only=ON")
            _ = try await connection.query("PRAGMA busy_timeout=5000")
            connections.append(connection)
        }
        return connections
    }
}
