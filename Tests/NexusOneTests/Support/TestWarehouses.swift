import DatabaseFixtures
import Domain
import Foundation
import SQLKit
import Storage
import Warehouses

/// One demo warehouse per kind for the whole test run, loaded once: the API only reads it, so tests can share it.
/// SQLite apps use the SQLite one, PostgreSQL apps the PostgreSQL one (`nx1_test_warehouse` next to `TEST_POSTGRES_URL`).
enum TestWarehouses {
    static func shared(_ kind: DatabaseKind) async throws -> (warehouse: any Warehouse, url: String) {
        switch kind {
        case .sqlite: try await sqlite.value
        case .postgres: try await postgres.value
        }
    }

    private static let sqlite = Task<(warehouse: any Warehouse, url: String), any Error> {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nx1-test-warehouse-\(UUID().uuidString).sqlite").path
        let warehouse = SQLiteWarehouse(path: path, logger: TestDatabases.logger)
        try await warehouse.ensureDemoData()
        return (warehouse, path)
    }

    private static let postgres = Task<(warehouse: any Warehouse, url: String), any Error> {
        let base = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"]!
        try await TestDatabases.administer(base, "DROP DATABASE IF EXISTS nx1_test_warehouse WITH (FORCE)")
        try await TestDatabases.administer(base, "CREATE DATABASE nx1_test_warehouse")
        let url = TestDatabases.replacingDatabase(in: base, with: "nx1_test_warehouse")
        let warehouse = try PostgresWarehouse(url: url, logger: TestDatabases.logger)
        Task.detached { try? await warehouse.run() }
        // Lets the pool's run() begin before the first query (else postgres-nio warns that it was not called).
        try await Task.sleep(for: .milliseconds(5))
        try await warehouse.ensureDemoData()
        // A table named like a demo table in another schema: what a realm's domains do not hold (TenantIsolationTests).
        try await TestDatabases.administer(url, "CREATE SCHEMA nx1_other_schema")
        try await TestDatabases.administer(url, "CREATE TABLE nx1_other_schema.products AS SELECT 'not yours' AS secret")
        return (warehouse, url)
    }
}

extension Warehouse {
    /// Runs raw SQL past the read-only guard (tests of the engine's own boundary), returning up to 100,000 rows.
    func select(_ expression: any SQLExpression) async throws -> ResultSet {
        try await select(WarehouseStatement(expression, maximumRows: 100_000, scope: .everyTable))
    }
}
