import API
import DatabaseFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing
import UseCases

@Suite("Queries (cards)")
struct QueryAPITests {
    @Test("suggest → POST /api/query → a card whose data are the rows its SQL yields", arguments: TestDatabases.kinds)
    func suggestionToCard(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let suggested = try await client.post("/api/query/suggest", token: token, ["domain": "urn:li:domain:sales"])
            #expect(suggested.status == .ok)
            let suggestion = try #require(suggested.array.first)
            #expect(suggestion["domain"] as? String == "sales")
            #expect(suggestion["domain_urn"] as? String == "urn:li:domain:sales")
            #expect(suggestion["prompt"] as? String == "How many orders are there per channel?")
            let again = try await client.post("/api/query/suggest", token: token, ["domain": "sales"])
            #expect(again.array.map { $0["id"] as? String } == suggested.array.map { $0["id"] as? String })

            let created = try await client.post("/api/query", token: token, ["suggestion_id": try #require(suggestion["id"] as? String)])
            #expect(created.status == .ok)
            let card = created.object
            let id = try #require(card["id"] as? String)
            #expect(card["card_url"] as? String == "\(TestApp.baseURL)/portal/\(app.realm)/queries/\(id)")
            #expect((card["embed_url"] as? String)?.hasPrefix("\(TestApp.baseURL)/embed/\(id)?token=") == true)
            #expect(card["domain"] as? String == "sales")
            #expect(card["domain_urn"] as? String == "urn:li:domain:sales")
            #expect(card["query"] as? String == suggestion["query"] as? String)
            #expect(card["prompt"] as? String == suggestion["prompt"] as? String)
            #expect(card["error"] is NSNull)

            let data = try await client.json("/api/query/\(id)/data", method: .get, token: token)
            #expect(data.status == .ok)
            #expect(data.object["columns"] as? [String] == ["channel", "orders_count"])
            #expect(data.rows == (try await app.warehouseRows(try #require(card["query"] as? String))))
            #expect(data.rows.count == 4)

            let unknown = try await client.post("/api/query", token: token, ["suggestion_id": "no-such-suggestion"])
            #expect(unknown.status == .notFound)
            let noDomain = try await client.post("/api/query/suggest", token: token, ["domain": "nowhere"])
            #expect(noDomain.status == .notFound)
            let listed = try await client.json("/api/query", method: .get, token: token)
            #expect(listed.array.first?["id"] as? String == id)
            #expect(listed.array.first?["suggestion_id"] as? String == suggestion["id"] as? String)
        }
    }

    static let writes = [
        "INSERT INTO orders (order_id, customer_id, order_date, channel, status, total_amount) VALUES (999999, 1, '2024-01-01', 'Web', 'x', 1)",
        "UPDATE orders SET total_amount = 0", "DELETE FROM orders", "DROP TABLE orders", "ATTACH DATABASE '/tmp/nx1-evil.db' AS evil",
        "PRAGMA query_only = OFF", "COPY orders TO '/tmp/nx1-orders.csv'", "SELECT 1; DELETE FROM orders",
        "WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone", "SELECT * INTO orders_copy FROM orders",
    ]

    @Test("submit: user SQL is saved with its domain inferred; SQL that writes is 422 and changes nothing", arguments: TestDatabases.kinds)
    func submit(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let fingerprint = "SELECT COUNT(*), SUM(total_amount) FROM orders"
            let before = try await app.warehouseRows(fingerprint)
            for sql in Self.writes {
                let refused = try await client.post("/api/query/submit", token: token, ["query": sql])
                #expect(refused.status == .unprocessableContent, "\(sql)")
                #expect(refused.problem?.loc == ["body", "query"], "\(sql)")
            }
            #expect(try await app.warehouseRows(fingerprint) == before)

            let submitted = try await client.post(
                "/api/query/submit", token: token, ["query": "SELECT channel, COUNT(*) AS n FROM orders GROUP BY channel", "prompt": "orders per channel"])
            #expect(submitted.status == .ok)
            let body = submitted.object
            let id = try #require(body["id"] as? String)
            #expect(body["domain"] as? String == "sales")
            #expect(body["analytics_provider"] as? String == "nexusone")
            let embed = try #require(body["embed_info"] as? [String: Any])
            #expect(embed["entity_id"] as? String == id)
            #expect(embed["embed_url"] as? String == body["embed_url"] as? String)
            #expect(!(embed["token"] as? String ?? "").isEmpty)

            let failing = try await client.post("/api/query/submit", token: token, ["query": "SELECT no_such_column FROM orders"])
            #expect(failing.status == .ok)
            #expect((failing.object["error"] as? String)?.contains("no_such_column") == true)
            let mixed = try await client.post("/api/query/submit", token: token, ["query": "SELECT 1 AS one"])
            #expect(mixed.object["domain"] as? String == "")
            #expect(mixed.object["domain_urn"] as? String == "")
        }
    }

    @Test("ask: the best-matching suggestion becomes a card; no matching question is said so in error")
    func ask() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let token = try await app.serviceToken(client)
            let asked = try await client.post("/api/query/ask", token: token, ["domain": "sales", "prompt": "total amount by status"])
            #expect(asked.status == .ok)
            #expect(asked.object["prompt"] as? String == "What is the total amount per status?")
            #expect(asked.object["error"] is NSNull)
            let unmatched = try await client.post("/api/query/ask", token: token, ["domain": "sales", "prompt": "weather in Paris"])
            #expect(unmatched.status == .ok)
            #expect((unmatched.object["error"] as? String)?.contains("No question in the domain sales") == true)
            let missing = try await client.post("/api/query/ask", token: token, ["domain": "sales"])
            #expect(missing.problem?.loc == ["body", "prompt"])
        }
    }

    @Test("queries need nx1_ask and belong to their owner; delete is 204, then 404", arguments: TestDatabases.kinds)
    func ownership(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let id = try #require(try await client.post("/api/query/submit", token: token, ["query": "SELECT 1 AS one"]).object["id"] as? String)
            let aliceId = try await SessionTests.createAlice(app, client)
            let alice = try #require(try await SessionTests.passwordGrant(app, client)["access_token"] as? String)
            #expect(try await client.post("/api/query/suggest", token: alice, ["domain": "sales"]).status == .forbidden)
            #expect(try await client.json("/api/query", method: .get, token: alice).status == .forbidden)

            try await app.grant("nx1_ask", to: aliceId, client)
            let asker = try #require(try await SessionTests.passwordGrant(app, client)["access_token"] as? String)
            #expect(try await client.json("/api/query/\(id)/data", method: .get, token: asker).status == .notFound)
            #expect(try await client.json("/api/query/\(id)", method: .delete, token: asker).status == .notFound)
            #expect(try await client.json("/api/query", method: .get, token: asker).array.isEmpty)

            #expect(try await client.json("/api/query/\(id)", method: .delete, token: token).status == .noContent)
            #expect(try await client.json("/api/query/\(id)/data", method: .get, token: token).status == .notFound)
            #expect(try await client.json("/api/query/\(id)", method: .delete, token: token).status == .notFound)
        }
    }

    @Test("the embed token opens for its own query only, until it expires")
    func embedToken() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let token = try await app.serviceToken(client)
            let id = try #require(try await client.post("/api/query/submit", token: token, ["query": "SELECT 1 AS one"]).object["id"] as? String)
            let issued = try await client.post("/api/query/embed/token", token: token, ["query_id": id])
            #expect(issued.status == .ok)
            #expect(issued.headers[.cacheControl] == "no-store")
            let embed = try #require(issued.object["token"] as? String)
            #expect(issued.object["embed_url"] as? String == "\(TestApp.baseURL)/embed/\(id)?token=\(embed)")
            #expect(issued.object["expires_at"] is String)
            let secrets = app.services.secrets
            #expect(EmbedToken.open(embed, queryId: id, secrets: secrets, now: app.clock.now)?.realm == app.realm)
            #expect(EmbedToken.open(embed, queryId: "another", secrets: secrets, now: app.clock.now) == nil)
            #expect(EmbedToken.open(String(embed.dropLast(2)), queryId: id, secrets: secrets, now: app.clock.now) == nil)
            app.clock.advance(EmbedToken.lifetime + 1)
            #expect(EmbedToken.open(embed, queryId: id, secrets: secrets, now: app.clock.now) == nil)
        }
    }

    @Test("a known path asked with another method is 405 with Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        try await TestApp.run(on: .sqlite) { _, client in
            let put = try await client.execute(uri: "/api/query", method: .put)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "GET, POST")
            let ask = try await client.execute(uri: "/api/query/ask", method: .delete)
            #expect(ask.headers[.allow] == "POST")
            #expect(try await client.execute(uri: "/api/nothing/here", method: .get).status == .notFound)
        }
    }
}
