import DatabaseFixtures
import Domain
import Foundation
import SQLKit
import Storage
import Testing
import Warehouses

/// The read-only guard is bypassed on purpose throughout: these prove the engine's own boundary (docs/security.md).
@Suite("Warehouse sandbox")
struct WarehouseSandboxTests {
    static func refusal(_ sql: String, on warehouse: any Warehouse) async -> String? {
        do {
            _ = try await warehouse.select(SQLRaw(sql))
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "SQLite's authorizer denies what reaches outside the warehouse, recursion, PRAGMA, ATTACH and the schema table",
        arguments: [
            ("SELECT fts3_tokenizer('simple')", "the function 'fts3_tokenizer' is not allowed"),
            ("SELECT load_extension('/tmp/evil')", "the function 'load_extension' is not allowed"),
            ("SELECT hex(zeroblob(50000000))", "the function 'zeroblob' is not allowed"),
            ("SELECT randomblob(8)", "the function 'randomblob' is not allowed"),
            ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n", "not recursively"),
            ("WITH n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n", "not recursively"),
            ("SELECT sql FROM sqlite_master", "reading 'sqlite_master' is not allowed"),
            ("SELECT count(*) FROM sqlite_schema", "reading 'sqlite_schema' is not allowed"),
            ("SELECT name FROM pragma_table_info('orders')", "is not allowed"),
            ("PRAGMA query_only = OFF", "PRAGMA is not allowed"),
            ("ATTACH DATABASE '/tmp/nx1-attached.sqlite' AS evil", "ATTACH"),
            ("SELECT 1 AS a --\r\n, fts3_tokenizer('simple')", "the function 'fts3_tokenizer' is not allowed"),
            ("INSERT INTO orders (order_id) VALUES (-1)", "not allowed"),
        ])
    func sqliteAuthorizer(sql: String, reason: String) async throws {
        let warehouse = try await TestWarehouses.shared(.sqlite).warehouse
        let refusal = await Self.refusal(sql, on: warehouse)
        #expect(refusal?.contains(reason) == true, "\(sql): \(refusal ?? "ran")")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/nx1-attached.sqlite"))
    }

    @Test("SQLite: pure functions, joins, windows and JSON still run")
    func sqliteAllowed() async throws {
        let warehouse = try await TestWarehouses.shared(.sqlite).warehouse
        let result = try await warehouse.select(
            SQLRaw(
                """
                SELECT upper(c.name) AS name, count(*) AS n, round(sum(o.total_amount), 2) AS total,
                       rank() OVER (ORDER BY sum(o.total_amount) DESC) AS place, json_object('n', count(*)) AS doc,
                       strftime('%Y', min(o.order_date)) AS first_year, coalesce(NULL, 'x') LIKE 'x' AS matched
                FROM orders o JOIN customers c ON c.customer_id = o.customer_id
                GROUP BY c.name ORDER BY place LIMIT 3
                """))
        #expect(result.rows.count == 3)
        #expect(result.columns == ["name", "n", "total", "place", "doc", "first_year", "matched"])
        let common = try await warehouse.select(
            SQLRaw("WITH big AS (SELECT * FROM orders WHERE total_amount > 500) SELECT count(*) AS n FROM big JOIN customers USING (customer_id)"))
        #expect(common.rows.count == 1)
    }

    @Test("a statement past its deadline ends with a clear message, and the connections serve the next one", arguments: TestDatabases.kinds)
    func deadline(kind: DatabaseKind) async throws {
        let (shared, url) = try await TestWarehouses.shared(kind)
        let warehouse: any Warehouse
        let runaway: String
        var stop: Task<Void, Never>?
        switch kind {
        case .sqlite:
            let sqlite = SQLiteWarehouse(path: url, statementTimeout: .milliseconds(300), logger: TestDatabases.logger)
            stop = Task { try? await sqlite.run() }
            warehouse = sqlite
            runaway = "SELECT count(*) FROM order_items a, order_items b, order_items c"
        case .postgres:
            let postgres = try PostgresWarehouse(url: url, timeoutMilliseconds: 300, logger: TestDatabases.logger)
            stop = Task { try? await postgres.run() }
            warehouse = postgres
            runaway = "SELECT count(*) FROM order_items a, order_items b, order_items c"
        }
        defer { stop?.cancel() }
        let started = ContinuousClock.now
        // More runaway statements than connections: every one ends, none waits for another to finish on its own.
        let refusals = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<6 { group.addTask { await Self.refusal(runaway, on: warehouse) } }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(refusals.allSatisfy { $0?.contains("ran longer than 300 ms") == true }, "\(refusals)")
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(try await warehouse.select(SQLRaw("SELECT count(*) AS n FROM orders")).rows == [[.integer(6_000)]])
        _ = shared
    }

    @Test("no page holds more than its byte cap or its row cap, whatever the SQL says", arguments: TestDatabases.kinds)
    func pageLimits(kind: DatabaseKind) async throws {
        let warehouse = try await TestWarehouses.shared(kind).warehouse
        let wide = kind == .sqlite ? "SELECT printf('%.1000c', 'x') AS x FROM order_items" : "SELECT repeat('x', 1000) AS x FROM order_items"
        await #expect(throws: WarehouseError.tooLarge(limit: WarehouseLimits.pageBytes)) {
            try await warehouse.select(WarehouseStatement(SQLRaw(wide), maximumRows: 100_000, scope: .everyTable))
        }
        let capped = try await warehouse.select(WarehouseStatement(SQLRaw("SELECT * FROM order_items"), maximumRows: 5, scope: .everyTable))
        #expect(capped.rows.count == 5)
        #expect(try await warehouse.select(SQLRaw("SELECT count(*) AS n FROM orders")).rows == [[.integer(6_000)]])
        if kind == .sqlite {
            let refusal = await Self.refusal("SELECT length(replace(printf('%.4000000c', 'x'), 'x', 'xyz')) AS n", on: warehouse)
            #expect(refusal?.contains("larger than 8 MiB") == true, "\(refusal ?? "ran")")
        }
    }

    @Test("PostgreSQL: settings, large objects and temporary tables do not outlive the statement that made them")
    func postgresRollsBack() async throws {
        guard TestDatabases.kinds.contains(.postgres) else { return }
        let warehouse = try await TestWarehouses.shared(.postgres).warehouse
        // More attempts than the pool has connections, so every pooled session has seen one.
        for _ in 0..<20 {
            _ = try? await warehouse.select(
                SQLRaw("SELECT set_config('default_transaction_read_only', 'off', false), set_config('statement_timeout', '0', false)"))
            _ = try? await warehouse.select(SQLRaw("SELECT lo_from_bytea(0, 'filling the disk'::bytea)"))
            _ = try? await warehouse.select(SQLRaw("CREATE TEMP TABLE nx1_left_behind AS SELECT 1 AS x"))
        }
        for _ in 0..<20 {
            let settings = try await warehouse.select(
                SQLRaw(
                    """
                    SELECT current_setting('default_transaction_read_only') AS read_only, current_setting('statement_timeout') AS timeout,
                           (SELECT count(*) FROM pg_largeobject_metadata) AS large_objects, to_regclass('nx1_left_behind') IS NULL AS no_temp_table
                    """))
            #expect(settings.rows == [[.text("on"), .text("5s"), .integer(0), .boolean(true)]])
        }
    }
}
