import DatabaseFixtures
import Foundation
import HTTPKit
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import Storage
import Testing

@Suite("Data products and GET /api/data/{view}")
struct DataAPITests {
    static let ordersSQL = "SELECT order_id, order_date, channel, status, total_amount FROM orders WHERE order_id <= 2500"

    @Test("a product answers its own key (header and ?psk=) and holders of its role; everyone else is refused", arguments: TestDatabases.kinds)
    func access(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let queryId = try #require(try await client.post("/api/query/submit", token: token, ["query": Self.ordersSQL]).object["id"] as? String)
            try await app.grant("analyst", to: try #require(JWTParts.decode(token).payload["sub"] as? String), client)
            let created = try await client.post("/api/dataproduct", token: token, ["name": "orders_view", "role_name": "analyst", "query_id": queryId])
            #expect(created.status == .ok)
            #expect(created.headers[.cacheControl] == "no-store")
            let key = try #require(created.object["preshared_key"] as? String)
            #expect(key.hasPrefix("nx1d_"))
            #expect(created.object["view_name"] as? String == "orders_view")
            #expect(created.object["preshared_key_valid_until"] as? String == Timestamp.iso(app.clock.now + 30 * 86_400))
            let productId = try #require(created.object["view_id"] as? String)

            let byHeader = try await client.get("/api/data/orders_view?limit=5", psk: key)
            #expect(byHeader.status == .ok)
            #expect(byHeader.object["row_count"] as? Int == 5)
            #expect(byHeader.object["columns"] as? [String] == ["order_id", "order_date", "channel", "status", "total_amount"])
            let byQuery = try await client.execute(uri: "/api/data/orders_view?limit=5&psk=\(key)", method: .get)
            #expect(byQuery.status == .ok)
            #expect(byQuery.rows == byHeader.rows)
            #expect(try await client.execute(uri: "/api/user/me?psk=\(key)", method: .get).status == .unauthorized)

            // Alice: no role → 403; with the role → her bearer token and her Personal PSK both read it.
            let aliceId = try await SessionTests.createAlice(app, client)
            let alice = try #require(try await SessionTests.passwordGrant(app, client)["access_token"] as? String)
            #expect(try await client.json("/api/data/orders_view", method: .get, token: alice).status == .forbidden)
            #expect(try await client.json("/api/dataproduct", method: .get, token: alice).array.isEmpty)
            try await app.grant("analyst", to: aliceId, client)
            let analyst = try #require(try await SessionTests.passwordGrant(app, client)["access_token"] as? String)
            #expect(try await client.json("/api/data/orders_view?limit=5", method: .get, token: analyst).rows == byHeader.rows)
            let personal = try #require(try await PSKTests.create(client, token: analyst).object["psk"] as? String)
            #expect(try await client.get("/api/data/orders_view?limit=5", psk: personal).rows == byHeader.rows)
            let listed = try await client.json("/api/dataproduct?roles=analyst", method: .get, token: analyst)
            #expect(listed.array.map { $0["name"] as? String } == ["orders_view"])
            #expect(listed.array.first?["domain_urn"] as? String == "urn:li:domain:sales")
            #expect(listed.array.first?["id"] as? String == productId)
            #expect(try await client.json("/api/dataproduct?roles=nx1_ask", method: .get, token: analyst).array.isEmpty)
            #expect(try await client.post("/api/dataproduct", token: analyst, ["name": "mine", "role_name": "analyst", "query": "SELECT 1 AS one"]).status == .forbidden)

            // Another product's key, an unknown name, a deleted product, an expired key.
            let other = try await client.post("/api/dataproduct", token: token, ["name": "channels", "role_name": "nx1_ask", "query": "SELECT DISTINCT channel FROM orders"])
            let otherKey = try #require(other.object["preshared_key"] as? String)
            #expect(try await client.get("/api/data/orders_view", psk: otherKey).status == .notFound)
            #expect(try await client.get("/api/data/channels", psk: otherKey).status == .ok)
            #expect(try await client.get("/api/data/nothing_here", psk: key).status == .notFound)
            let otherId = try #require(other.object["view_id"] as? String)
            #expect(try await client.json("/api/dataproduct/\(otherId)", method: .delete, token: analyst).status == .forbidden)
            #expect(try await client.json("/api/dataproduct/\(otherId)", method: .delete, token: token).status == .noContent)
            #expect(try await client.get("/api/data/channels", psk: otherKey).status == .unauthorized)
            #expect(try await client.json("/api/data/channels", method: .get, token: token).status == .notFound)
            #expect(try await client.json("/api/dataproduct/\(otherId)", method: .delete, token: token).status == .notFound)

            #expect(try await client.post("/api/dataproduct", token: token, ["name": "orders_view", "role_name": "analyst", "query": "SELECT 1 AS one"]).status == .conflict)
            let unknownRole = try await client.post("/api/dataproduct", token: token, ["name": "x", "role_name": "no_such_role", "query": "SELECT 1 AS one"])
            #expect(unknownRole.status == .unprocessableContent)
            #expect(unknownRole.problem?.loc == ["body", "role_name"])
            let twoSources = try await client.post("/api/dataproduct", token: token, ["name": "y", "role_name": "analyst", "query": "SELECT 1 AS one", "query_id": queryId])
            #expect(twoSources.status == .unprocessableContent)
            let badName = try await client.post("/api/dataproduct", token: token, ["name": "Bad-Name", "role_name": "analyst", "query": "SELECT 1 AS one"])
            #expect(badName.problem?.loc == ["body", "name"])
            let writes = try await client.post("/api/dataproduct", token: token, ["name": "z", "role_name": "analyst", "query": "DELETE FROM orders"])
            #expect(writes.status == .unprocessableContent)

            app.clock.advance(30 * 86_400 + 1)
            app.services.pskVerifier.invalidate()
            #expect(try await client.get("/api/data/orders_view", psk: key).status == .unauthorized)
        }
    }

    @Test("paging walks the whole product; filter and order give what the equivalent SQL gives; CSV on request", arguments: TestDatabases.kinds)
    func paging(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let key = try #require(
                try await client.post("/api/dataproduct", token: token, ["name": "orders_view", "role_name": "nx1_ask", "query": Self.ordersSQL])
                    .object["preshared_key"] as? String)
            var start: Int? = 0
            var ids: [String] = []
            var pages = 0
            while let next = start {
                let page = try await client.get("/api/data/orders_view?start=\(next)&limit=1000&order=order_id", psk: key)
                #expect(page.status == .ok)
                #expect(page.object["start"] as? Int == next)
                ids += page.rows.map { $0[0] }
                start = page.object["next_start"] as? Int
                #expect(page.object.keys.contains("next_start"))
                pages += 1
            }
            #expect(pages == 3)
            #expect(ids == (1...2500).map(String.init))

            let filter = "(channel = 'Web' or channel in ('Store')) and total_amount > 500 and status != 'cancelled' and order_date >= '2024-01-01'"
            let filtered = try await client.get("/api/data/orders_view?limit=10000&filter=\(encoded(filter))&order=\(encoded("total_amount desc, order_id"))", psk: key)
            #expect(filtered.status == .ok)
            let expected = try await app.warehouseRows(
                """
                SELECT order_id, \(kind == .postgres ? "CAST(order_date AS TEXT)" : "order_date"), channel, status, total_amount FROM orders
                WHERE order_id <= 2500 AND (channel = 'Web' OR channel IN ('Store')) AND total_amount > 500 AND status <> 'cancelled'
                AND order_date >= '2024-01-01' ORDER BY total_amount DESC, order_id ASC
                """)
            #expect(!expected.isEmpty)
            #expect(filtered.rows == expected)
            let nulls = try await client.get("/api/data/orders_view?filter=\(encoded("status is null or status like 'deliv%'"))&limit=1", psk: key)
            #expect(nulls.rows.first?[3] == "delivered")

            let csv = try await client.execute(
                uri: "/api/data/orders_view?limit=2&order=order_id", method: .get, headers: [.init("Authorization-PSK")!: key, .accept: "text/csv"])
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("order_id,order_date,channel,status,total_amount\r\n1,"))
            #expect(csv.text.split(separator: "\r\n").count == 3)

            for (query, field) in [("limit=0", "limit"), ("limit=10001", "limit"), ("start=-1", "start"), ("start=abc", "start"), ("order=nope", "order")] {
                let refused = try await client.get("/api/data/orders_view?\(query)", psk: key)
                #expect(refused.status == .unprocessableContent, "\(query)")
                #expect(refused.problem?.loc == ["query", field], "\(query)")
            }
        }
    }

    static let attacks = [
        "channel = 'Web'; DROP TABLE orders", "channel = 'Web' -- ", "channel = 'x' or 1=1", "channel = 'x' union select * from customers",
        "channel = 'a'' or ''1''=''1'", "channel = ’Web’", "channel = ＇Web＇", "channel = 'Web' /* */", "channel = 'Web'\u{0}", "drop table orders",
        "channel = (select 1)", "channel = 'Web' and pg_sleep(5) = 1", "\"channel\" = 'x'); DELETE FROM orders; --",
    ]

    @Test("malformed filters and injection attempts are 422 naming the position, and the warehouse is unchanged", arguments: TestDatabases.kinds)
    func injection(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let key = try #require(
                try await client.post("/api/dataproduct", token: token, ["name": "orders_view", "role_name": "nx1_ask", "query": Self.ordersSQL])
                    .object["preshared_key"] as? String)
            let fingerprint = "SELECT COUNT(*), SUM(total_amount) FROM orders"
            let before = try await app.warehouseRows(fingerprint)
            for attack in Self.attacks {
                let response = try await client.get("/api/data/orders_view?filter=\(encoded(attack))", psk: key)
                if attack == "channel = 'a'' or ''1''=''1'" {
                    // A quote doubled inside a string is part of the value: a valid filter that matches nothing.
                    #expect(response.status == .ok)
                    #expect(response.object["row_count"] as? Int == 0)
                    continue
                }
                #expect(response.status == .unprocessableContent, "\(attack)")
                #expect(response.problem?.loc == ["query", "filter"], "\(attack)")
                #expect(response.problem?.msg.contains("position") == true, "\(attack): \(response.text)")
            }
            #expect(try await app.warehouseRows(fingerprint) == before)
        }
    }
}
