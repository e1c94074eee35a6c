import Crypto
import DatabaseFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Bearer tokens at the API")
struct BearerTokenTests {
    @Test("a valid token reaches /api/user/me", arguments: TestDatabases.kinds)
    func validToken(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let response = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .ok)
            let me = response.object
            #expect(me["username"] as? String == "service-account-\(app.clientId.lowercased())")
            #expect(me["realm"] as? String == app.realm)
            #expect(me["auth"] as? String == "bearer")
            #expect((me["roles"] as? [String])?.contains("nx1_ask") == true)
        }
    }

    @Test("no credential: 401 Not authenticated with WWW-Authenticate: Bearer")
    func missingCredential() async throws {
        try await TestApp.run(on: .sqlite) { _, client in
            for headers: HTTPFields in [[:], [.authorization: "Basic Zm9vOmJhcg=="], [.authorization: "Bearer "]] {
                let response = try await client.execute(uri: "/api/user/me", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect(response.text == #"{"detail":"Not authenticated"}"#)
            }
            let ping = try await client.execute(uri: "/api/health/ping", method: .get)
            #expect(ping.status == .ok)
            #expect(ping.object["status"] as? String == "ok")
        }
    }

    @Test("bad tokens of every kind are refused with 401 Invalid token", arguments: TestDatabases.kinds)
    func refusedTokens(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let (header, claims) = JWTParts.decode(token)
            let parts = token.split(separator: ".").map(String.init)
            var otherIssuer = claims
            otherIssuer["iss"] = "http://evil.example/realms/\(app.realm)"
            var longer = claims
            longer["exp"] = (claims["exp"] as! Int) + 86_400
            var noneHeader = header
            noneHeader["alg"] = "none"
            var hmacHeader = header
            hmacHeader["alg"] = "HS256"
            let certs = try await client.execute(uri: "/realms/\(app.realm)/protocol/openid-connect/certs", method: .get).object
            let publicKey = Data(((certs["keys"] as? [[String: Any]])?.first?["n"] as? String ?? "").utf8)
            let hmacInput = JWTParts.encode(hmacHeader) + "." + parts[1]
            let hmacSignature = Data(HMAC<SHA256>.authenticationCode(for: Data(hmacInput.utf8), using: SymmetricKey(data: publicKey)))
                .base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            var unknownKid = header
            unknownKid["kid"] = "not-a-key"
            let cases: [(String, String)] = [
                ("garbage", "not-a-jwt"),
                ("tampered payload", parts[0] + "." + JWTParts.encode(longer) + "." + parts[2]),
                ("other issuer", parts[0] + "." + JWTParts.encode(otherIssuer) + "." + parts[2]),
                ("alg none", JWTParts.encode(noneHeader) + "." + parts[1] + "."),
                ("HMAC with the public key", hmacInput + "." + hmacSignature),
                ("unknown kid", JWTParts.encode(unknownKid) + "." + parts[1] + "." + parts[2]),
                ("truncated signature", parts[0] + "." + parts[1] + "." + parts[2].dropLast(4)),
                ("huge", String(repeating: "a", count: 20_000)),
            ]
            for (name, bad) in cases {
                let response = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(bad)"])
                #expect(response.status == .unauthorized, "\(name)")
                #expect(response.text == #"{"detail":"Invalid token"}"#, "\(name)")
                #expect(response.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#, "\(name)")
            }
        }
    }

    @Test("expired tokens are refused (clock moved, no sleeping)")
    func expiredToken() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let token = try await app.serviceToken(client)
            let ok = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(ok.status == .ok)
            app.clock.advance(601)
            let expired = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(expired.status == .unauthorized)
            #expect(expired.text == #"{"detail":"Invalid token"}"#)
        }
    }

    @Test("ID and refresh tokens are not access tokens", arguments: TestDatabases.kinds)
    func idAndRefreshTokensRefused(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let response = try await client.form(
                "/realms/master/protocol/openid-connect/token",
                [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "admin"), ("password", TestApp.adminPassword), ("scope", "openid")])
            let idToken = try #require(response.object["id_token"] as? String)
            let refreshToken = try #require(response.object["refresh_token"] as? String)
            #expect(JWTParts.decode(idToken).payload["typ"] as? String == "ID")
            #expect(JWTParts.decode(refreshToken).payload["typ"] as? String == "Refresh")
            for token in [idToken, refreshToken] {
                let refused = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(refused.status == .unauthorized)
            }
        }
    }

    @Test("a token from a realm that was since disabled is refused")
    func disabledRealm() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let token = try await app.serviceToken(client)
            let admin = try await app.masterAdminToken(client)
            let disabled = try await client.json("/admin/realms/\(app.realm)", method: .put, token: admin, body: #"{"enabled":false}"#)
            #expect(disabled.status == .noContent)
            let refused = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(refused.status == .unauthorized)
            let realmInfo = try await client.execute(uri: "/realms/\(app.realm)", method: .get)
            #expect(realmInfo.status == .notFound)
        }
    }

    @Test("a realm's endpoints refuse another realm's tokens")
    func crossRealm() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let token = try await app.serviceToken(client)
            let userInfo = try await client.execute(
                uri: "/realms/master/protocol/openid-connect/userinfo", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(userInfo.status == .unauthorized)
            let admin = try await client.json("/admin/realms/master/users", method: .get, token: token)
            #expect(admin.status == .forbidden)
        }
    }
}
