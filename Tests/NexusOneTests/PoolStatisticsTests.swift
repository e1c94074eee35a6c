import DatabaseFixtures
import Storage
import Testing

@Suite("Database pool gauges")
struct PoolStatisticsTests {
    @Test("a held transaction counts as in use, and a second writer waits for it on SQLite", arguments: TestDatabases.kinds)
    func heldTransaction(kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let idleBefore = database.poolStatistics
            #expect(idleBefore.waiting == 0)
            let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
            let (release, releaseSignal) = AsyncStream<Void>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await database.transaction { _ in
                        enteredSignal.yield()
                        for await _ in release { break }
                    }
                }
                for await _ in entered { break }
                group.addTask { try await database.transaction { _ in } }
                // SQLite has one writer: the second transaction waits for it. PostgreSQL lends the second one another
                // connection, and it commits while the first still holds its own.
                let expected = PoolStatistics(inUse: idleBefore.inUse + 1, idle: idleBefore.idle - 1, waiting: kind == .sqlite ? 1 : 0)
                let deadline = ContinuousClock.now + .seconds(5)
                while database.poolStatistics != expected, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
                #expect(database.poolStatistics == expected)
                releaseSignal.yield()
                try await group.waitForAll()
            }
            #expect(database.poolStatistics == idleBefore)
        }
    }
}
