import DatabaseFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Metastore domains")
struct MetastoreTests {
    @Test("every caller lists the realm's domains with tables and columns; nx1_admin creates and deletes them", arguments: TestDatabases.kinds)
    func domains(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let listed = try await client.json("/api/metastore/domains", method: .get, token: token)
            #expect(listed.status == .ok)
            #expect(listed.array.map { $0["urn"] as? String } == ["urn:li:domain:catalog", "urn:li:domain:customers", "urn:li:domain:sales"])
            let sales = try #require(listed.array.last?["tables"] as? [[String: Any]])
            #expect(sales.map { $0["name"] as? String } == ["orders", "order_items"])
            let columns = try #require(sales.first?["columns"] as? [[String: Any]])
            #expect(columns.map { $0["name"] as? String } == ["order_id", "customer_id", "order_date", "channel", "status", "total_amount"])

            let body: [String: Any] = ["name": "finance", "description": "Money", "tables": ["orders", "products"]]
            #expect(try await client.post("/api/metastore/domains", token: token, body).status == .forbidden)
            let aliceId = try await SessionTests.createAlice(app, client)
            try await app.grant("nx1_admin", to: aliceId, client)
            let admin = try #require(try await SessionTests.passwordGrant(app, client)["access_token"] as? String)
            let created = try await client.post("/api/metastore/domains", token: admin, body)
            #expect(created.status == .created)
            #expect(created.object["urn"] as? String == "urn:li:domain:finance")
            #expect(try await client.post("/api/metastore/domains", token: admin, body).status == .conflict)
            let unknown = try await client.post("/api/metastore/domains", token: admin, ["name": "ghosts", "tables": ["no_such_table"]])
            #expect(unknown.problem?.loc == ["body", "tables"])
            let badName = try await client.post("/api/metastore/domains", token: admin, ["name": "Finance!", "tables": ["orders"]])
            #expect(badName.problem?.loc == ["body", "name"])

            let replaced = try await client.json(
                "/api/metastore/domains/finance", method: .put, token: admin, body: #"{"description":"Prices","tables":["products"]}"#)
            #expect(replaced.status == .ok)
            #expect((replaced.object["tables"] as? [[String: Any]])?.map { $0["name"] as? String } == ["products"])
            #expect(replaced.object["description"] as? String == "Prices")
            #expect(try await client.json("/api/metastore/domains/finance", method: .put, token: token, body: #"{"tables":["orders"]}"#).status == .forbidden)
            #expect(try await client.json("/api/metastore/domains/nowhere", method: .put, token: admin, body: #"{"tables":["orders"]}"#).status == .notFound)
            let badTables = try await client.json("/api/metastore/domains/finance", method: .put, token: admin, body: #"{"tables":["nope"]}"#)
            #expect(badTables.problem?.loc == ["body", "tables"])

            let suggested = try await client.post("/api/query/suggest", token: token, ["domain": "finance"])
            #expect(suggested.array.map { $0["prompt"] as? String }.contains("What is the total unit price per category?"))
            #expect(!suggested.array.contains { ($0["query"] as? String)?.contains("FROM orders") == true })
            #expect(try await client.json("/api/metastore/domains/finance", method: .delete, token: token).status == .forbidden)
            #expect(try await client.json("/api/metastore/domains/finance", method: .delete, token: admin).status == .noContent)
            #expect(try await client.json("/api/metastore/domains/finance", method: .delete, token: admin).status == .notFound)
            #expect(try await client.post("/api/query/suggest", token: token, ["domain": "finance"]).status == .notFound)
            #expect(try await client.json("/api/metastore/domains", method: .get, token: token).array.count == 3)
        }
    }
}
