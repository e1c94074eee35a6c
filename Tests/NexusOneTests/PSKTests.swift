import DatabaseFixtures
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Pre-shared keys")
struct PSKTests {
    static func aliceToken(_ app: TestApp, _ client: any TestClientProtocol) async throws -> String {
        _ = try await SessionTests.createAlice(app, client)
        return try #require(try await SessionTests.passwordGrant(app, client)["access_token"] as? String)
    }

    static func me(_ client: any TestClientProtocol, psk: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/user/me", method: .get, headers: [.init("Authorization-PSK")!: psk])
    }

    static func create(_ client: any TestClientProtocol, token: String, body: String = #"{"description":"laptop script"}"#) async throws -> TestResponse {
        try await client.json("/api/user/psk", method: .post, token: token, body: body)
    }

    @Test("format: prefix, 32 base62 and a CRC32 checksum; anything else is refused")
    func format() {
        let key = PSKFormat.generate(.personal)
        #expect(key.hasPrefix("nx1p_"))
        #expect(key.count == 43)
        #expect(PSKFormat.kind(of: key) == .personal)
        #expect(PSKFormat.kind(of: PSKFormat.generate(.service)) == .service)
        var typo = Array(key)
        typo[10] = typo[10] == "a" ? "b" : "a"
        #expect(PSKFormat.kind(of: String(typo)) == nil)
        #expect(PSKFormat.kind(of: String(key.dropLast())) == nil)
        #expect(PSKFormat.hint(key) == "nx1p_…" + key.suffix(4))
    }

    @Test("create, use, regenerate, delete a Personal PSK", arguments: TestDatabases.kinds)
    func lifecycle(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await Self.aliceToken(app, client)
            let none = try await client.json("/api/user/psk", method: .get, token: token)
            #expect(none.status == .notFound)
            #expect(none.text == #"{"detail":"No PSK"}"#)

            let created = try await Self.create(client, token: token)
            #expect(created.status == .ok)
            #expect(created.headers[.cacheControl] == "no-store")
            let key = try #require(created.object["psk"] as? String)
            #expect(created.object["description"] as? String == "laptop script")
            let me = try await Self.me(client, psk: key)
            #expect(me.status == .ok)
            #expect(me.object["username"] as? String == "alice")
            #expect(me.object["auth"] as? String == "psk")

            await app.services.pskVerifier.flushLastUse()
            let shown = try await client.json("/api/user/psk", method: .get, token: token)
            #expect(shown.object["hint"] as? String == PSKFormat.hint(key))
            #expect(shown.object["last_used_at"] as? String != nil, "last use is recorded")
            #expect(!shown.text.contains(key))
            #expect(try await Self.create(client, token: token).status == .conflict)

            let regenerated = try await client.json("/api/user/psk/regenerate", method: .post, token: token)
            let newKey = try #require(regenerated.object["psk"] as? String)
            #expect(regenerated.object["id"] as? String == created.object["id"] as? String)
            #expect(try await Self.me(client, psk: key).status == .unauthorized)
            #expect(try await Self.me(client, psk: newKey).status == .ok)

            let graceful = try await client.json("/api/user/psk/regenerate", method: .post, token: token, body: #"{"grace_seconds":120}"#)
            let third = try #require(graceful.object["psk"] as? String)
            #expect(try await Self.me(client, psk: newKey).status == .ok)
            #expect(try await Self.me(client, psk: third).status == .ok)
            app.clock.advance(121)
            app.services.pskVerifier.invalidate()
            #expect(try await Self.me(client, psk: newKey).status == .unauthorized)
            #expect(try await Self.me(client, psk: third).status == .ok)

            let deleted = try await client.json("/api/user/psk", method: .delete, token: token)
            #expect(deleted.status == .noContent)
            let refused = try await Self.me(client, psk: third)
            #expect(refused.status == .unauthorized)
            #expect(refused.text == #"{"detail":"Invalid PSK"}"#)
            #expect(refused.headers[.wwwAuthenticate] == "APIKey")
        }
    }

    @Test("a PSK cannot mint, replace or delete a PSK; users see only their own key; both headers must agree")
    func boundaries() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let token = try await Self.aliceToken(app, client)
            let key = try #require(try await Self.create(client, token: token).object["psk"] as? String)
            let header = HTTPField.Name("Authorization-PSK")!
            for (path, method) in [("/api/user/psk", HTTPRequest.Method.post), ("/api/user/psk/regenerate", .post), ("/api/user/psk", .delete)] {
                let response = try await client.execute(uri: path, method: method, headers: [header: key])
                #expect(response.status == .forbidden, "\(method) \(path)")
            }
            let serviceToken = try await app.serviceToken(client)
            let others = try await client.json("/api/user/psk", method: .get, token: serviceToken)
            #expect(others.status == .notFound)
            let mixed = try await client.execute(
                uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(serviceToken)", header: key])
            #expect(mixed.status == .unauthorized)
            let same = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(token)", header: key])
            #expect(same.status == .ok)
            let tooLong = try await client.json("/api/user/psk", method: .post, token: serviceToken, body: #"{"description":"\#(String(repeating: "x", count: 300))"}"#)
            #expect(tooLong.status == .unprocessableContent)
            #expect((tooLong.object["detail"] as? [[String: Any]])?.first?["loc"] as? [String] == ["body", "description"])
            let badJSON = try await client.json("/api/user/psk", method: .post, token: serviceToken, body: "{")
            #expect(badJSON.status == .unprocessableContent)
        }
    }

    @Test("malformed keys are refused with 401 before any storage access")
    func malformedKeys() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let good = PSKFormat.generate(.personal)
            var wrongChecksum = Array(good)
            wrongChecksum[wrongChecksum.count - 1] = wrongChecksum.last == "a" ? "b" : "a"
            let before = app.services.pskVerifier.storageLookups
            let header = HTTPField.Name("Authorization-PSK")!
            for bad in [String(wrongChecksum), "nx1p_short", String(good.dropFirst()), "nx1p_" + String(repeating: "!", count: 38),
                        String(repeating: "k", count: 10_240), "nx1x_" + good.dropFirst(5), "nx1p_\u{7F}" + good.dropFirst(6)] {
                let response = try await client.execute(uri: "/api/user/me", method: .get, headers: [header: bad])
                #expect(response.status == .unauthorized, "\(bad.prefix(12))")
                #expect(response.text == #"{"detail":"Invalid PSK"}"#)
            }
            #expect(app.services.pskVerifier.storageLookups == before)
            _ = try await Self.me(client, psk: good)
            #expect(app.services.pskVerifier.storageLookups == before + 1)
            _ = try await Self.me(client, psk: good)
            #expect(app.services.pskVerifier.storageLookups == before + 1, "an unknown key is cached as a negative entry")
        }
    }

    @Test("the deployment PSK acts as the service account", arguments: TestDatabases.kinds)
    func deploymentKey(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let key = try #require(app.report.deployment?.psk)
            #expect(key.hasPrefix("nx1s_"))
            let me = try await Self.me(client, psk: key)
            #expect(me.status == .ok)
            #expect(me.object["username"] as? String == "service-account-\(app.clientId.lowercased())")
            #expect((me.object["roles"] as? [String])?.contains("nx1_ask") == true)
        }
    }

    @Test("administrators list and revoke keys; disabling a user kills its key; every event is audited", arguments: TestDatabases.kinds)
    func administration(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let aliceToken = try await Self.aliceToken(app, client)
            let aliceKey = try #require(try await Self.create(client, token: aliceToken).object["psk"] as? String)
            let admin = try await app.masterAdminToken(client)
            _ = try await client.json(
                "/admin/realms/\(app.realm)/users", method: .post, token: admin,
                body: #"{"username":"ops","credentials":[{"value":"ops-password-1"}],"realmRoles":["nx1_admin"]}"#)
            let ops = try #require(
                try await client.form(app.tokenPath, [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "ops"), ("password", "ops-password-1")])
                    .object["access_token"] as? String)
            #expect(try await client.json("/api/admin/psk", method: .get, token: aliceToken).status == .forbidden)
            let listed = try await client.json("/api/admin/psk", method: .get, token: ops)
            #expect(listed.status == .ok)
            #expect(!listed.text.contains(aliceKey))
            let entry = try #require(listed.array.first { $0["username"] as? String == "alice" })
            #expect(entry["hint"] as? String == PSKFormat.hint(aliceKey))
            #expect(listed.array.contains { $0["kind"] as? String == "service" })
            let keyId = try #require(entry["id"] as? String)

            #expect(try await Self.me(client, psk: aliceKey).status == .ok)
            let revoked = try await client.json("/api/admin/psk/\(keyId)", method: .delete, token: ops)
            #expect(revoked.status == .noContent)
            #expect(try await Self.me(client, psk: aliceKey).status == .unauthorized)

            _ = try await client.json("/api/user/psk", method: .delete, token: aliceToken)
            let second = try #require(try await Self.create(client, token: aliceToken).object["psk"] as? String)
            #expect(try await Self.me(client, psk: second).status == .ok)
            let regenerated = try await client.json("/api/user/psk/regenerate", method: .post, token: aliceToken, body: #"{"grace_seconds":60}"#)
            #expect(regenerated.status == .ok)
            let aliceId = try #require(JWTParts.decode(aliceToken).payload["sub"] as? String)
            let disabled = try await client.json("/admin/realms/\(app.realm)/users/\(aliceId)", method: .put, token: admin, body: #"{"enabled":false}"#)
            #expect(disabled.status == .noContent)
            #expect(try await Self.me(client, psk: second).status == .unauthorized)
            // Enabled again: the account is back, its key is not (it may have leaked with the account).
            let enabled = try await client.json("/admin/realms/\(app.realm)/users/\(aliceId)", method: .put, token: admin, body: #"{"enabled":true}"#)
            #expect(enabled.status == .noContent)
            #expect(try await Self.me(client, psk: second).status == .unauthorized)
            let keys = try await client.json("/api/admin/psk", method: .get, token: ops)
            #expect(keys.array.first { $0["username"] as? String == "alice" }?["is_active"] as? Bool == false, "\(keys.text)")

            let audit = try await client.json("/api/admin/audit?limit=50", method: .get, token: ops)
            let actions = Set(audit.array.compactMap { $0["action"] as? String })
            #expect(actions.isSuperset(of: ["create", "revoke", "delete", "regenerate", "failed_use"]))
            #expect(audit.array.contains { $0["action"] as? String == "revoke" && ($0["detail"] as? String)?.contains("its user was disabled") == true })
            #expect(!audit.text.contains(aliceKey) && !audit.text.contains(second))
            #expect(audit.array.allSatisfy { ($0["hint"] as? String)?.hasPrefix("nx1") ?? true })
        }
    }
}
