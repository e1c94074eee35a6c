import DatabaseFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Password grant, sessions, userinfo, introspection, revocation, logout")
struct SessionTests {
    /// Creates `alice` with a password in the test realm through the admin API; returns her id.
    static func createAlice(_ app: TestApp, _ client: any TestClientProtocol, temporary: Bool = false) async throws -> String {
        let admin = try await app.masterAdminToken(client)
        let created = try await client.json(
            "/admin/realms/\(app.realm)/users", method: .post, token: admin,
            body: #"{"username":"Alice","email":"alice@example.com","firstName":"Alice","lastName":"Liddell","enabled":true,"credentials":[{"type":"password","value":"wonderland-42","temporary":\#(temporary)}]}"#
        )
        #expect(created.status == .created)
        return String(try #require(created.headers[.location]).split(separator: "/").last!)
    }

    static func passwordGrant(_ app: TestApp, _ client: any TestClientProtocol, scope: String = "openid") async throws -> [String: Any] {
        try await client.form(
            app.tokenPath,
            [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "alice"), ("password", "wonderland-42"), ("scope", scope)]
        ).object
    }

    @Test("password grant, refresh rotation, userinfo, introspection and logout", arguments: TestDatabases.kinds)
    func fullSession(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let aliceId = try await Self.createAlice(app, client)
            let tokens = try await Self.passwordGrant(app, client)
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)
            #expect(tokens["refresh_expires_in"] as? Int == 1800)
            #expect(tokens["session_state"] as? String == JWTParts.decode(access).payload["sid"] as? String)
            let idClaims = JWTParts.decode(try #require(tokens["id_token"] as? String)).payload
            #expect(idClaims["aud"] as? String == "admin-cli")
            #expect(idClaims["email"] as? String == "alice@example.com")
            let claims = JWTParts.decode(access).payload
            #expect(claims["sub"] as? String == aliceId)
            #expect(claims["name"] as? String == "Alice Liddell")
            #expect(claims["given_name"] as? String == "Alice")

            let userInfo = try await client.execute(
                uri: "/realms/\(app.realm)/protocol/openid-connect/userinfo", method: .get, headers: [.authorization: "Bearer \(access)"])
            #expect(userInfo.status == .ok)
            #expect(userInfo.object["preferred_username"] as? String == "alice")
            #expect(userInfo.object["sub"] as? String == aliceId)

            let refreshed = try await client.form(app.tokenPath, [("grant_type", "refresh_token"), ("client_id", "admin-cli"), ("refresh_token", refresh)])
            #expect(refreshed.status == .ok)
            let newRefresh = try #require(refreshed.object["refresh_token"] as? String)
            let reused = try await client.form(app.tokenPath, [("grant_type", "refresh_token"), ("client_id", "admin-cli"), ("refresh_token", refresh)])
            #expect(reused.status == .badRequest)
            #expect(reused.object["error"] as? String == "invalid_grant")

            let introspect = [("client_id", app.clientId), ("client_secret", app.clientSecret)]
            let active = try await client.form(
                "/realms/\(app.realm)/protocol/openid-connect/token/introspect", [("token", access)] + introspect)
            #expect(active.object["active"] as? Bool == true)
            #expect(active.object["username"] as? String == "alice")
            #expect(active.object["client_id"] as? String == "admin-cli")
            #expect(active.object["token_type"] as? String == "Bearer")

            let logout = try await client.form(
                "/realms/\(app.realm)/protocol/openid-connect/logout", [("client_id", "admin-cli"), ("refresh_token", newRefresh)])
            #expect(logout.status == .noContent)
            let afterLogout = try await client.execute(
                uri: "/realms/\(app.realm)/protocol/openid-connect/userinfo", method: .get, headers: [.authorization: "Bearer \(access)"])
            #expect(afterLogout.status == .unauthorized)
            #expect(afterLogout.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true)
            let inactive = try await client.form(
                "/realms/\(app.realm)/protocol/openid-connect/token/introspect", [("token", access)] + introspect)
            #expect(inactive.text == #"{"active":false}"#)
            let refreshAfterLogout = try await client.form(
                app.tokenPath, [("grant_type", "refresh_token"), ("client_id", "admin-cli"), ("refresh_token", newRefresh)])
            #expect(refreshAfterLogout.status == .badRequest)
        }
    }

    @Test("a revoked access token is refused by the API; a revoked refresh token ends its session", arguments: TestDatabases.kinds)
    func revocation(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            _ = try await Self.createAlice(app, client)
            let tokens = try await Self.passwordGrant(app, client)
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)
            let before = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(access)"])
            #expect(before.status == .ok)
            let revokePath = "/realms/\(app.realm)/protocol/openid-connect/revoke"
            let revoked = try await client.form(revokePath, [("client_id", "admin-cli"), ("token", access)])
            #expect(revoked.status == .ok)
            let after = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(access)"])
            #expect(after.status == .unauthorized)
            let revokedRefresh = try await client.form(revokePath, [("client_id", "admin-cli"), ("token", refresh), ("token_type_hint", "refresh_token")])
            #expect(revokedRefresh.status == .ok)
            let refreshAfter = try await client.form(app.tokenPath, [("grant_type", "refresh_token"), ("client_id", "admin-cli"), ("refresh_token", refresh)])
            #expect(refreshAfter.object["error"] as? String == "invalid_grant")
        }
    }

    @Test("a temporary password blocks the password grant until changed")
    func temporaryPassword() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            _ = try await Self.createAlice(app, client, temporary: true)
            let response = try await client.form(
                app.tokenPath, [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "alice"), ("password", "wonderland-42")])
            #expect(response.status == .badRequest)
            #expect(response.object["error_description"] as? String == "Account is not fully set up")
        }
    }
}
