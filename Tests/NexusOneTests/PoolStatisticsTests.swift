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
                // The second writer has asked by the time the first still holds the connection: give it a moment to queue.
                try await Task.sleep(for: .milliseconds(100))
                let held = database.poolStatistics
                #expect(held.inUse == idleBefore.inUse + 1)
                #expect(held.idle == idleBefore.idle - 1)
                // SQLite has one writer: the second transaction waits; PostgreSQL lends it another connection.
                if kind == .sqlite { #expect(held.waiting == 1) }
                releaseSignal.yield()
                try await group.waitForAll()
            }
            #expect(database.poolStatistics == idleBefore)
        }
    }
}
