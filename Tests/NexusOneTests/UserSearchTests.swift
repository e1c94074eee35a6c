import DatabaseFixtures
import Domain
import Storage
import Testing

@Suite("User search and list windows")
struct UserSearchTests {
    @Test("search text is literal: % and _ match themselves; * is the only wildcard", arguments: TestDatabases.kinds)
    func literalSearch(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, _ in
            let names = ["a_b", "axb", "a%b", "azzb", "bob"]
            try await app.services.database.transaction { sql in
                for name in names {
                    try await UserStore(sql).insert(User(id: Identifiers.uuid(), realm: app.realm, username: name, createdAt: 0), passwordHash: nil)
                }
            }
            func found(_ match: TextMatch, window: ListWindow = .all) async throws -> [String] {
                try await app.services.database.read { sql in
                    try await UserStore(sql).search(realm: app.realm, UserFilter(fields: [.username: match]), window: window).map(\.username)
                }
            }
            #expect(try await found(.contains("a_b")) == ["a_b"])
            #expect(try await found(.contains("a%b")) == ["a%b"])
            #expect(try await found(.wildcard("a*b")) == ["a%b", "a_b", "axb", "azzb"])
            #expect(try await found(.prefix("b")) == ["bob"])
            #expect(try await found(.equals("A_B")) == ["a_b"])
            #expect(try await found(.wildcard("a*b"), window: ListWindow(first: 1, max: 2)) == ["a_b", "axb"])
            #expect(try await found(.wildcard("a*b"), window: ListWindow(first: 10, max: 2)).isEmpty)
            let count = try await app.services.database.read { sql in try await UserStore(sql).count(realm: app.realm, UserFilter(search: .wildcard("*b"))) }
            #expect(count == 5)
        }
    }

    @Test("in-memory matching and windows agree with the database's reading")
    func inMemory() {
        #expect(TextMatch.wildcard("a*b").matches("azzb"))
        #expect(!TextMatch.wildcard("a*b").matches("azzbc"))
        #expect(TextMatch.wildcard("*ro*").matches("keycloak-role"))
        #expect(TextMatch.contains("_").matches("a_b") && !TextMatch.contains("_").matches("ab"))
        #expect(ListWindow(first: -5, max: -1) == .all)
        #expect(ListWindow(first: 2, max: 2).slice([1, 2, 3, 4, 5]) == [3, 4])
        #expect(ListWindow(first: 4, max: .max).slice([1, 2, 3, 4, 5]) == [5])
    }
}
