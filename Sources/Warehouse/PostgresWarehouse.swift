import Domain
import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import Storage

/// A PostgreSQL warehouse. Every user statement runs in a read-only transaction that is always rolled back, in a
/// session whose statement timeout is set at connection start, so user SQL can neither write, nor leave anything behind
/// for the next user, nor run forever. Give the URL a role that may only read the warehouse's tables
/// (docs/security.md; `nexusone warehouse check` reports a role that can do more).
public final class PostgresWarehouse: Warehouse {
    public let kind = WarehouseKind.postgres
    let client: PostgresClient
    private let url: String
    let logger: Logger
    /// How long one statement may run (`statement_timeout`), in milliseconds.
    let timeoutMilliseconds: Int

    public init(url: String, timeoutMilliseconds: Int = Int(WarehouseLimits.statementTimeout.components.seconds) * 1_000, logger: Logger) throws {
        var configuration = try PostgresStore.configuration(from: url, maximumConnections: 8)
        // Every session of this pool is read-only with a statement timeout from its first byte; since every user
        // statement's transaction is rolled back, no statement can change either for the ones after it.
        configuration.options.additionalStartupParameters = [
            ("default_transaction_read_only", "on"), ("statement_timeout", String(timeoutMilliseconds)),
        ]
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.url = url
        self.timeoutMilliseconds = timeoutMilliseconds
        self.logger = logger
    }

    public func tables() async throws -> [WarehouseTable] {
        let rows = try await readOnly { connection in
            try await connection.sql(queryLogLevel: nil).raw(
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

    /// Runs on PostgresNIO directly (not through SQLKit's row decoding) so each value is read by its column's type, in a
    /// transaction of its own that is always rolled back (`rolledBack`), stopping as soon as the page passes its byte cap.
    public func select(_ statement: WarehouseStatement) async throws -> ResultSet {
        try await readOnly { connection in
            var serializer = SQLSerializer(database: connection.sql(queryLogLevel: nil))
            statement.expression.serialize(to: &serializer)
            var bindings = PostgresBindings(capacity: serializer.binds.count)
            for bind in serializer.binds {
                switch bind {
                case let value as String: bindings.append(value)
                case let value as Int: bindings.append(value)
                case let value as Double: bindings.append(value)
                case let value as Bool: bindings.append(value)
                default: throw WarehouseError.query("Unsupported parameter type \(type(of: bind))")
                }
            }
            let query = PostgresQuery(unsafeSQL: serializer.sql, binds: bindings)
            return try await rolledBack(on: connection) {
                var result = ResultSet(columns: [], rows: [])
                var bytes = 0
                for try await row in try await connection.query(query, logger: logger) {
                    // Whatever is left unread is not drained: the connection is closed instead (`Abandon`).
                    guard result.rows.count < statement.maximumRows else { throw Abandon.rowCap(result) }
                    if result.columns.isEmpty { result.columns = row.map(\.columnName) }
                    for cell in row { bytes += cell.bytes?.readableBytes ?? 1 }
                    guard bytes <= WarehouseLimits.pageBytes else { throw Abandon.tooLarge }
                    result.rows.append(row.map(Self.cell))
                }
                return result
            }
        }
    }

    public func run() async throws { await client.run() }

    /// Loads through a short-lived pool of its own: this warehouse's sessions are read-only.
    public func ensureDemoData() async throws -> Bool {
        let writer = PostgresClient(configuration: try PostgresStore.configuration(from: url, maximumConnections: 1), backgroundLogger: logger)
        return try await DatabaseFactory.withBackground({ await writer.run() }) {
            let loaded = try await writer.withConnection { connection in await DemoDataSet.isLoaded(on: connection.sql(queryLogLevel: nil)) }
            guard !loaded else { return false }
            try await writer.withTransaction(logger: logger) { connection in
                try await DemoDataSet.load(on: connection.sql(queryLogLevel: nil), kind: .postgres)
            }
            return true
        }
    }

    /// Why a statement's connection is closed instead of returned to the pool, with its rest unread.
    private enum Abandon: Error {
        /// The page holds more than `WarehouseLimits.pageBytes`.
        case tooLarge
        /// More rows than the statement may return came: the rows up to the cap are the answer.
        case rowCap(ResultSet)
    }

    /// The boundary around every user statement: `BEGIN READ ONLY`, the statement, `ROLLBACK` — whatever the statement
    /// did to settings, large objects or temporary tables ends with it, and the session's startup `statement_timeout`
    /// stays what it was for the next user. If the database has not answered a second after that timeout, the
    /// connection is closed, which ends the statement on our side (and, when the server next writes to it, on its side).
    private func rolledBack(on connection: PostgresConnection, _ body: () async throws -> ResultSet) async throws -> ResultSet {
        let watchdog = Task { [timeoutMilliseconds] () -> Bool in
            do { try await Task.sleep(for: .milliseconds(timeoutMilliseconds + 1_000)) } catch { return false }
            try? await connection.close()
            return true
        }
        defer { watchdog.cancel() }
        do {
            try await connection.query("BEGIN TRANSACTION READ ONLY", logger: logger)
            let result = try await body()
            try await connection.query("ROLLBACK", logger: logger)
            return result
        } catch {
            watchdog.cancel()
            let expired = await watchdog.value
            if expired || error is Abandon {
                try? await connection.close()  // the pool replaces a closed connection
            }
            if expired { throw WarehouseError.query(timeoutMessage) }
            switch error as? Abandon {
            case .tooLarge: throw WarehouseError.tooLarge(limit: WarehouseLimits.pageBytes)
            case .rowCap(let rows): return rows
            case nil: break
            }
            // After a refusal the transaction is aborted; ending it returns a clean session to the pool.
            do { try await connection.query("ROLLBACK", logger: logger) } catch { try? await connection.close() }
            throw error
        }
    }

    private var timeoutMessage: String { "The query ran longer than \(Duration.milliseconds(timeoutMilliseconds).shortText)" }

    /// A pooled read-only session; the database's refusals become `WarehouseError.query`.
    private func readOnly<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] {
                throw WarehouseError.query(
                    error.serverInfo?[.sqlState] == "57014" ? timeoutMessage : message)
            }
            logger.warning("warehouse unreachable", metadata: ["error": "\(error.code)"])
            throw WarehouseError.unavailable
        }
    }

    /// PostgreSQL's types mapped onto JSON by the column's type: integers, floating point and numeric as numbers,
    /// booleans, dates as ISO text, everything else as its text.
    static func cell(_ cell: PostgresCell) -> Cell {
        guard let bytes = cell.bytes else { return .null }
        let binary = cell.format == .binary
        switch cell.dataType {
        case .int2, .int4, .int8: return (try? cell.decode(Int.self)).map(Cell.integer) ?? .null
        case .float4, .float8: return (try? cell.decode(Double.self)).map(Cell.real) ?? .null
        case .numeric where binary: return PostgresValues.double(numeric: bytes).map(Cell.real) ?? .null
        case .bool: return (try? cell.decode(Bool.self)).map(Cell.boolean) ?? .null
        case .date where binary: return PostgresValues.text(date: bytes).map(Cell.text) ?? .null
        case .timestamp where binary, .timestamptz where binary: return PostgresValues.text(timestamp: bytes).map(Cell.text) ?? .null
        default: return (try? cell.decode(String.self)).map(Cell.text) ?? .null
        }
    }
}
