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
}
