import Domain
import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import Storage
import Synchronization

/// A PostgreSQL warehouse. Every user statement runs in a read-only transaction that is always rolled back, in a
/// session whose statement timeout is set at connection start, and the session is reset (`DISCARD ALL`) before the
/// connection serves anyone else — so user SQL can neither write, nor leave anything behind for the next user, nor run
/// forever. No message bigger than a page reaches memory (`MessageSizeGuard`, on connections of the warehouse's own:
/// `WarehouseConnections`). Give the URL a role that may only read (docs/security.md; `serve` refuses a role with
/// powers beyond that, and `nexusone warehouse check` reports each).
public final class PostgresWarehouse: Warehouse {
    public let kind = WarehouseKind.postgres
    let connections: WarehouseConnections
    let url: String
    let logger: Logger
    /// How long one statement may run (`statement_timeout`), in milliseconds.
    let timeoutMilliseconds: Int
    /// The names of the database's relations, for the scope check (`PostgresWarehouse+Scope`).
    let relations = Mutex<RelationNames?>(nil)

    /// The longest error or notice read from the warehouse: longer ones quote values of the query's making.
    static let messageBytes = 256 << 10

    public init(
        url: String, timeoutMilliseconds: Int = Int(WarehouseLimits.statementTimeout.components.seconds) * 1_000, connections: Int = 8, logger: Logger
    ) throws {
        self.connections = WarehouseConnections(
            url: try PostgresURL(url), startupParameters: Self.startupParameters(timeoutMilliseconds: timeoutMilliseconds), maximum: connections,
            rowBytes: WarehouseLimits.pageBytes + (1 << 20), messageBytes: Self.messageBytes, logger: logger)
        self.url = url
        self.timeoutMilliseconds = timeoutMilliseconds
        self.logger = logger
    }

    /// Every session is read-only with a statement timeout from its first byte, and reads string literals as the SQL
    /// standard and our guard do (a backslash is a character, whatever the database's or role's settings say);
    /// `DISCARD ALL` after each statement restores exactly these startup values for the next one.
    static func startupParameters(timeoutMilliseconds: Int) -> [(String, String)] {
        [("default_transaction_read_only", "on"), ("statement_timeout", String(timeoutMilliseconds)), ("standard_conforming_strings", "on")]
    }

    /// A pool configured as the sandbox's sessions are, for the checks that do not go through the sandbox.
    static func configuration(url: String, timeoutMilliseconds: Int, connections: Int) throws -> PostgresClient.Configuration {
        var configuration = try PostgresStore.configuration(from: url, maximumConnections: connections)
        configuration.options.additionalStartupParameters = startupParameters(timeoutMilliseconds: timeoutMilliseconds)
        return configuration
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
    /// transaction of its own that is always rolled back (`isolated`), stopping as soon as the page passes its byte cap.
    public func select(_ statement: WarehouseStatement) async throws -> ResultSet {
        try await readOnly { connection in
            var serializer = SQLSerializer(database: connection.sql(queryLogLevel: nil))
            statement.expression.serialize(to: &serializer)
            let query = PostgresQuery(unsafeSQL: serializer.sql, binds: try Self.bindings(serializer.binds))
            return try await isolated(on: connection) {
                try await checkScope(statement.scope, sql: serializer.sql, on: connection)
                var result = ResultSet(columns: [], rows: [])
                var bytes = 0
                for try await row in try await connection.query(query, logger: logger) {
                    // Whatever is left unread is not drained: the connection is closed instead (`Abandon`).
                    guard result.rows.count < statement.maximumRows else { throw Abandon.rowCap(result) }
                    if result.columns.isEmpty { result.columns = row.map(\.columnName) }
                    var values: [Cell] = []
                    values.reserveCapacity(row.count)
                    for cell in row {
                        bytes += cell.bytes?.readableBytes ?? 1
                        values.append(Self.cell(cell))
                    }
                    guard bytes <= WarehouseLimits.pageBytes else { throw Abandon.tooLarge }
                    result.rows.append(values)
                }
                return result
            }
        }
    }

    private static func bindings(_ binds: [any Encodable & Sendable]) throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case let value as String: bindings.append(value)
            case let value as Int: bindings.append(value)
            case let value as Double: bindings.append(value)
            case let value as Bool: bindings.append(value)
            default: throw WarehouseError.query("Unsupported parameter type \(type(of: bind))")
            }
        }
        return bindings
    }

    /// Keeps the connections until cancelled, then closes them.
    public func run() async throws {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        await connections.close()
    }

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

    var timeoutMessage: String { "The query ran longer than \(Duration.milliseconds(timeoutMilliseconds).shortText)" }

    /// A pooled read-only session; the database's refusals become `WarehouseError.query`, a message the guard would not
    /// read becomes what it was too big for, and a warehouse that cannot be reached `WarehouseError.unavailable`.
    func readOnly<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await connections.withConnection { pooled in
                do {
                    return try await body(pooled.connection)
                } catch {
                    if let refused = pooled.verdict.refusedType { throw Self.refusal(of: refused) }
                    throw error
                }
            }
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] {
                throw WarehouseError.refused(error.serverInfo?[.sqlState] == "57014" ? timeoutMessage : message)
            }
            logger.warning("warehouse unreachable", metadata: ["error": "\(error.code)"])
            throw WarehouseError.unavailable
        } catch let error as WarehouseError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.warning("warehouse unreachable", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            throw WarehouseError.unavailable
        }
    }

    /// What a message the guard closed the connection on means to the author of the SQL.
    static func refusal(of type: UInt8) -> WarehouseError {
        switch type {
        case MessageSizeGuard.dataRow: .tooLarge(limit: WarehouseLimits.pageBytes)
        case MessageSizeGuard.error, MessageSizeGuard.notice:
            .query("The warehouse's message was longer than \(messageBytes >> 10) KiB and was not read (it may quote a value the query made)")
        default: .query("The warehouse sent a message longer than a page may be")
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
