import DatabaseFixtures
import Storage
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("nodes that start at once on one database migrate it once, and all of them start", arguments: TestDatabases.kinds)
    func concurrentStarts(kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await Migrator.migrate(database) } }
                try await group.waitForAll()
            }
            #expect(try await Migrator.currentVersion(database) == Migrator.latestVersion)
            let applied = try await database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM schema_migrations").first(decodingColumn: "n", as: Int.self)
            }
            #expect(applied == Migrator.migrationCount)
        }
    }
}
