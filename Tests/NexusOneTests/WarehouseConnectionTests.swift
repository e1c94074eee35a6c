import DatabaseFixtures
import Domain
import SQLKit
import Storage
import Testing
import Warehouses

@Suite("Warehouse connections")
struct WarehouseConnectionTests {
    /// The guard is bypassed on purpose: the connection alone must refuse to change anything.
    @Test("writes that slip past the guard fail in the database and change nothing", arguments: TestDatabases.kinds)
    func readOnlyConnections(kind: DatabaseKind) async throws {
        let warehouse = try await TestWarehouses.shared(kind).warehouse
        let fingerprint = SQLRaw("SELECT COUNT(*) AS n, SUM(total_amount) AS total FROM orders")
        let before = try await warehouse.select(fingerprint)
        for statement in ["DELETE FROM orders", "UPDATE orders SET total_amount = 0", "DROP TABLE order_items", "CREATE TABLE evil (x INTEGER)"] {
            await #expect(throws: WarehouseError.self, "\(statement)") { try await warehouse.select(SQLRaw(statement)) }
        }
        #expect(try await warehouse.select(fingerprint) == before)
        #expect(try await warehouse.tables().map(\.name).contains("evil") == false)
    }

    @Test("the demo data set is the same on SQLite and PostgreSQL", arguments: TestDatabases.kinds)
    func demoData(kind: DatabaseKind) async throws {
        let warehouse = try await TestWarehouses.shared(kind).warehouse
        let summary = try await warehouse.select(
            SQLRaw("SELECT COUNT(*) AS n, MIN(CAST(order_date AS TEXT)) AS first, MAX(CAST(order_date AS TEXT)) AS last, SUM(total_amount) AS total FROM orders"))
        #expect(summary.rows.first?[0] == .integer(6_000))
        #expect(summary.rows.first?[1] == .text("2023-01-08"))
        #expect(summary.rows.first?[2] == .text("2024-12-30"))
        guard case .real(let total)? = summary.rows.first?[3] else { throw TestFailure("no total") }
        #expect(abs(total - 3_323_979.31) < 0.005)
        let tables = try await warehouse.tables().map(\.name)
        #expect(Set(tables).isSuperset(of: ["customers", "products", "orders", "order_items", "support_tickets"]))
    }

    /// A request waiting for one of the pool's connections leaves when its client is gone, and is told `unavailable`
    /// when the pool closes (a realm switching warehouse, shutdown) — it never waits for good.
    @Test("waiting for a PostgreSQL connection ends at cancellation and at close")
    func waitersLeave() async throws {
        guard TestDatabases.kinds.contains(.postgres) else { return }
        let url = try await TestWarehouses.shared(.postgres).url
        let warehouse = try PostgresWarehouse(url: url, connections: 1, logger: TestDatabases.logger)
        let running = Task { try await warehouse.run() }
        // The only connection sleeps for 3 s; everything below happens while it does.
        let holder = Task { try await warehouse.select(SQLRaw("SELECT pg_sleep(3) AS slept")) }
        try await Task.sleep(for: .milliseconds(300))

        let started = ContinuousClock.now
        let cancelled = Task { try await warehouse.select(SQLRaw("SELECT 1 AS one")) }
        try await Task.sleep(for: .milliseconds(200))
        cancelled.cancel()
        await #expect(throws: (any Error).self) { try await cancelled.value }
        #expect(ContinuousClock.now - started < .seconds(2), "a cancelled waiter leaves at once, not when a connection frees")

        let waiting = Task { try await warehouse.select(SQLRaw("SELECT 1 AS one")) }
        try await Task.sleep(for: .milliseconds(200))
        let closing = ContinuousClock.now
        running.cancel()
        await #expect(throws: WarehouseError.unavailable) { try await waiting.value }
        #expect(ContinuousClock.now - closing < .seconds(2), "closing the pool wakes its waiters")
        _ = try? await holder.value
    }
}
