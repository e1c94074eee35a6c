import DatabaseFixtures
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing
import UseCases

@Suite("Data-product keys")
struct DataProductKeyTests {
    /// A product created straight in storage (its API arrives with the data products); returns its id.
    static func product(_ app: TestApp, name: String, createdBy: String) async throws -> String {
        let product = DataProduct(
            id: Identifiers.uuid(), realm: app.realm, name: name, roleName: "nx1_ask", query: "SELECT 1", createdBy: createdBy, createdAt: app.clock.now)
        try await app.services.database.transaction { sql in try await DataProductStore(sql).insert(product) }
        return product.id
    }

    @Test("create, list, extend and delete; the key reads nothing but its product", arguments: TestDatabases.kinds)
    func lifecycle(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let owner = try #require(JWTParts.decode(token).payload["sub"] as? String)
            let productId = try await Self.product(app, name: "sales", createdBy: owner)
            let created = try await client.json(
                "/api/dataproduct/\(productId)/psk", method: .post, token: token, body: #"{"description":"dashboard","validity_days":30}"#)
            #expect(created.status == .ok)
            let key = try #require(created.object["psk"] as? String)
            #expect(key.hasPrefix("nx1d_"))
            let keyId = try #require(created.object["id"] as? String)
            let validUntil = try #require(created.object["valid_until"] as? String)

            let elsewhere = try await client.execute(uri: "/api/user/me", method: .get, headers: [.init("Authorization-PSK")!: key])
            #expect(elsewhere.status == .forbidden)
            let mint = try await client.execute(uri: "/api/user/psk", method: .post, headers: [.init("Authorization-PSK")!: key])
            #expect(mint.status == .forbidden)

            let listed = try await client.json("/api/dataproduct/psk", method: .get, token: token)
            #expect(listed.array.count == 1)
            #expect(listed.array.first?["view_id"] as? String == productId)
            #expect(listed.array.first?["hint"] as? String == PSKFormat.hint(key))
            #expect(!listed.text.contains(key))

            let extended = try await client.json("/api/dataproduct/psk/\(keyId)/extend", method: .post, token: token, body: #"{"validity_days":10}"#)
            #expect(extended.status == .ok)
            #expect((extended.object["valid_until"] as? String ?? "") > validUntil)

            let missingDays = try await client.json("/api/dataproduct/\(productId)/psk", method: .post, token: token, body: #"{"description":"x"}"#)
            #expect(missingDays.status == .unprocessableContent)
            let zeroDays = try await client.json("/api/dataproduct/\(productId)/psk", method: .post, token: token, body: #"{"validity_days":0}"#)
            #expect(zeroDays.status == .unprocessableContent)

            let deleted = try await client.json("/api/dataproduct/psk/\(keyId)", method: .delete, token: token)
            #expect(deleted.status == .noContent)
            #expect(try await client.json("/api/dataproduct/psk", method: .get, token: token).array.isEmpty)
            let withDeleted = try await client.json("/api/dataproduct/psk?include_deleted=true", method: .get, token: token)
            #expect(withDeleted.array.first?["is_deleted"] as? Bool == true)
        }
    }

    @Test("only people who may manage a product see or touch its keys; deleting the product ends them")
    func boundaries() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let serviceToken = try await app.serviceToken(client)
            let owner = try #require(JWTParts.decode(serviceToken).payload["sub"] as? String)
            let productId = try await Self.product(app, name: "finance", createdBy: owner)
            let aliceToken = try await PSKTests.aliceToken(app, client)
            let refused = try await client.json(
                "/api/dataproduct/\(productId)/psk", method: .post, token: aliceToken, body: #"{"validity_days":1}"#)
            #expect(refused.status == .notFound)
            let created = try await client.json("/api/dataproduct/\(productId)/psk", method: .post, token: serviceToken, body: #"{"validity_days":1}"#)
            let keyId = try #require(created.object["id"] as? String)
            #expect(try await client.json("/api/dataproduct/psk", method: .get, token: aliceToken).array.isEmpty)
            #expect(try await client.json("/api/dataproduct/psk/\(keyId)", method: .delete, token: aliceToken).status == .notFound)

            let now = app.clock.now
            try await app.services.database.transaction { sql in try await DataProductStore(sql).delete(id: productId, at: now) }
            let listed = try await client.json("/api/dataproduct/psk?include_deleted=true", method: .get, token: serviceToken)
            #expect(listed.array.isEmpty, "keys of a deleted product are no longer manageable")
            #expect(try await client.json("/api/dataproduct/psk/\(keyId)/extend", method: .post, token: serviceToken, body: #"{"validity_days":1}"#).status == .notFound)
        }
    }

    @Test("an expired data-product key is refused and the expiry is audited")
    func expiry() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let token = try await app.serviceToken(client)
            let owner = try #require(JWTParts.decode(token).payload["sub"] as? String)
            let productId = try await Self.product(app, name: "ops", createdBy: owner)
            let key = try #require(
                try await client.json("/api/dataproduct/\(productId)/psk", method: .post, token: token, body: #"{"validity_days":1}"#).object["psk"]
                    as? String)
            let header = HTTPField.Name("Authorization-PSK")!
            #expect(try await client.execute(uri: "/api/user/me", method: .get, headers: [header: key]).status == .forbidden)
            app.clock.advance(86_401)
            #expect(try await client.execute(uri: "/api/user/me", method: .get, headers: [header: key]).status == .unauthorized)
            let events = try await app.services.keys.audit(.operatorCLI(realm: app.realm), realm: app.realm, action: .expire, limit: 10)
            #expect(events.count == 1)
            #expect(events.first?.hint == PSKFormat.hint(key))
        }
    }

    @Test("a PSK manages product keys as FastAPI clients send them; revoking it ends the keys made through it", arguments: TestDatabases.kinds)
    func throughAKey(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let owner = try #require(JWTParts.decode(token).payload["sub"] as? String)
            let productId = try await Self.product(app, name: "through_key", createdBy: owner)
            let personal = try #require(try await client.json("/api/user/psk", method: .post, token: token, body: "{}").object["psk"] as? String)
            let header = HTTPField.Name("Authorization-PSK")!
            func call(_ uri: String, _ method: HTTPRequest.Method, psk: String, body: String? = nil) async throws -> TestResponse {
                var headers: HTTPFields = [header: psk]
                if body != nil { headers[.contentType] = "application/json" }
                return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            }

            let created = try await call("/api/dataproduct/\(productId)/psk", .post, psk: personal, body: #"{"description":"sdk","validity_days":"30"}"#)
            #expect(created.status == .ok)
            let minted = try #require(created.object["psk"] as? String)
            let mintedId = try #require(created.object["id"] as? String)
            for spelling in ["False", "false", "0", "no", "off"] {
                let listed = try await call("/api/dataproduct/psk?include_deleted=\(spelling)", .get, psk: personal)
                #expect(listed.status == .ok, "include_deleted=\(spelling)")
                #expect(listed.array.count == 1)
            }
            #expect(try await call("/api/dataproduct/psk?include_deleted=maybe", .get, psk: personal).status == .unprocessableContent)
            #expect(try await call("/api/dataproduct/psk/\(mintedId)/extend", .post, psk: personal, body: #"{"validity_days":7.0}"#).status == .ok)
            #expect(try await call("/api/dataproduct/\(productId)/psk", .post, psk: minted, body: #"{"validity_days":1}"#).status == .forbidden)
            let spare = try await call("/api/dataproduct/\(productId)/psk", .post, psk: personal, body: #"{"validity_days":1}"#)
            #expect(try await call("/api/dataproduct/psk/\(try #require(spare.object["id"] as? String))", .delete, psk: personal).status == .noContent)
            #expect(try await call("/api/data/through_key", .get, psk: minted).status == .ok)

            let personalId = try #require(try await client.json("/api/user/psk", method: .get, token: token).object["id"] as? String)
            try await RevokeKey(changes: app.services.changes, clock: app.services.clock)(
                .operatorCLI(realm: app.realm), realm: app.realm, keyId: personalId, address: "test")
            #expect(try await call("/api/user/me", .get, psk: personal).status == .unauthorized)
            #expect(try await call("/api/data/through_key", .get, psk: minted).status == .unauthorized)
            let revocations = try await app.services.keys.audit(.operatorCLI(realm: app.realm), realm: app.realm, action: .revoke, limit: 10)
            #expect(Set(revocations.compactMap(\.keyId)) == [personalId, mintedId])
            let other = try await client.json("/api/dataproduct/\(productId)/psk", method: .post, token: token, body: #"{"validity_days":1}"#)
            #expect(other.status == .ok, "a key made with a bearer token has no key to end with")
        }
    }
}
