import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import Storage
import Synchronization

/// A PostgreSQL warehouse. Every statement runs in a `READ ONLY` transaction with a statement timeout, so user SQL can
/// neither write nor run forever. Give the URL a role that may only read the warehouse's tables (docs/warehouse.md).
public final class PostgresWarehouse: Warehouse {
    public let kind = WarehouseKind.postgres
    let client: PostgresClient
    private let logger: Logger
    /// How long one statement may run (`statement_timeout`), in milliseconds.
    let timeoutMilliseconds: Int

    public init(url: String, timeoutMilliseconds: Int = 5_000, logger: Logger) throws {
        self.client = PostgresClient(configuration: try PostgresStore.configuration(from: url, maximumConnections: 8), backgroundLogger: logger)
        self.timeoutMilliseconds = timeoutMilliseconds
        self.logger = logger
    }

    public func tables() async throws -> [WarehouseTable] {
        let rows = try await readOnly { sql in
            try await sql.raw(
                """
                SELECT table_name, column_name, data_type FROM information_schema.columns
                WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
                """
            ).all()
        }
        var tables: [WarehouseTable] = []
        for row in rows {
            let table = try row.decode(column: "table_name", as: String.self)
            let column = WarehouseColumn(name: try row.decode(column: "column_name", as: String.self), type: try row.decode(column: "data_type", as: String.self))
            if tables.last?.name == table { tables[tables.count - 1].columns.append(column) } else { tables.append(WarehouseTable(name: table, columns: [column])) }
        }
        return tables
    }

    public func select(_ statement: any SQLExpression) async throws -> ResultSet {
        try await readOnly { sql in
            let collected = Mutex<ResultSet>(ResultSet(columns: [], rows: []))
            try await sql.execute(sql: statement) { row in
                let columns = row.allColumns
                let cells = columns.map { Self.cell(row, $0) }
                collected.withLock { result in
                    if result.columns.isEmpty { result.columns = columns }
                    result.rows.append(cells)
                }
            }
            return collected.withLock { $0 }
        }
    }

    public func run() async throws { await client.run() }

    public func ensureDemoData() async throws -> Bool {
        let loaded = try await client.withConnection { connection in await DemoDataSet.isLoaded(on: connection.sql(queryLogLevel: nil)) }
        guard !loaded else { return false }
        try await client.withTransaction(logger: logger) { connection in
            try await DemoDataSet.load(on: connection.sql(queryLogLevel: nil), kind: .postgres)
        }
        return true
    }

    /// A read-only transaction with the statement timeout; the database's refusals become `WarehouseError.query`.
    private func readOnly<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let timeout = timeoutMilliseconds
        do {
            return try await client.withConnection { connection in
                let sql = connection.sql(queryLogLevel: nil)
                try await sql.raw("BEGIN TRANSACTION READ ONLY").run()
                do {
                    try await sql.raw("SET LOCAL statement_timeout = \(unsafeRaw: String(timeout))").run()
                    let result = try await body(sql)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] {
                throw WarehouseError.query(error.serverInfo?[.sqlState] == "57014" ? "The query ran longer than \(timeout / 1000) s" : message)
            }
            logger.warning("warehouse unreachable", metadata: ["error": "\(error.code)"])
            throw WarehouseError.unavailable
        }
    }

    /// PostgreSQL's types mapped onto JSON: integers, floating and numeric as numbers, dates as ISO text.
    static func cell(_ row: any SQLRow, _ column: String) -> Cell {
        if (try? row.decodeNil(column: column)) ?? true { return .null }
        if let value = try? row.decode(column: column, as: Int.self) { return .integer(value) }
        if let value = try? row.decode(column: column, as: Double.self) { return .real(value) }
        if let value = try? row.decode(column: column, as: Decimal.self) { return .real(NSDecimalNumber(decimal: value).doubleValue) }
        if let value = try? row.decode(column: column, as: Bool.self) { return .boolean(value) }
        if let value = try? row.decode(column: column, as: Date.self) { return .text(DateText.iso(value)) }
        if let value = try? row.decode(column: column, as: String.self) { return .text(value) }
        return .null
    }
}

/// Dates in results: `YYYY-MM-DD` for midnight UTC (a `date`), full ISO 8601 otherwise.
enum DateText {
    static func iso(_ date: Date) -> String {
        let text = date.formatted(.iso8601)
        return text.hasSuffix("T00:00:00Z") ? String(text.prefix(10)) : text
    }
}
