import Crypto
import DatabaseFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Authorization code flow with PKCE and the login page")
struct AuthorizationCodeTests {
    static let redirect = "http://127.0.0.1:9999/callback"
    static let verifier = "a-verifier-that-is-long-enough-to-satisfy-rfc7636-rules-123456"
    static var challenge: String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A public portal-style client with one redirect URI, plus `alice`.
    static func setUp(_ app: TestApp, _ client: any TestClientProtocol, temporary: Bool = false) async throws {
        let admin = try await app.masterAdminToken(client)
        let created = try await client.json(
            "/admin/realms/\(app.realm)/clients", method: .post, token: admin,
            body: #"{"clientId":"portal","publicClient":true,"redirectUris":["\#(redirect)"]}"#)
        #expect(created.status == .created)
        _ = try await SessionTests.createAlice(app, client, temporary: temporary)
    }

    static func authorizeQuery(state: String = "xyz") -> String {
        "response_type=code&client_id=portal&redirect_uri=\(FormEncoding.encode(redirect))&scope=openid&state=\(state)&nonce=n-1"
            + "&code_challenge=\(challenge)&code_challenge_method=S256"
    }

    static func loginFields(password: String = "wonderland-42") -> [(String, String)] {
        [
            ("response_type", "code"), ("client_id", "portal"), ("redirect_uri", redirect), ("scope", "openid"), ("state", "xyz"), ("nonce", "n-1"),
            ("code_challenge", challenge), ("code_challenge_method", "S256"), ("username", "alice"), ("password", password),
        ]
    }

    static func code(from location: String) -> String? {
        URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value
    }

    @Test("login page → code → tokens, with PKCE and nonce", arguments: TestDatabases.kinds)
    func fullFlow(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            try await Self.setUp(app, client)
            let auth = "/realms/\(app.realm)/protocol/openid-connect/auth"
            let page = try await client.execute(uri: "\(auth)?\(Self.authorizeQuery())", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(page.text.contains(#"name="password""#))

            let wrong = try await client.form(auth, Self.loginFields(password: "nope"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("Invalid username or password."))

            let login = try await client.form(auth, Self.loginFields())
            #expect(login.status == .found)
            let location = try #require(login.headers[.location])
            #expect(location.hasPrefix(Self.redirect + "?state=xyz"))
            let code = try #require(Self.code(from: location))

            let badVerifier = try await client.form(
                app.tokenPath,
                [("grant_type", "authorization_code"), ("client_id", "portal"), ("code", code), ("redirect_uri", Self.redirect),
                 ("code_verifier", String(repeating: "x", count: 50))])
            #expect(badVerifier.object["error"] as? String == "invalid_grant")

            let login2 = try await client.form(auth, Self.loginFields())
            let code2 = try #require(Self.code(from: login2.headers[.location] ?? ""))
            let exchange: [(String, String)] = [
                ("grant_type", "authorization_code"), ("client_id", "portal"), ("code", code2), ("redirect_uri", Self.redirect), ("code_verifier", Self.verifier),
            ]
            let tokens = try await client.form(app.tokenPath, exchange)
            #expect(tokens.status == .ok, "\(tokens.text)")
            let idToken = try #require(tokens.object["id_token"] as? String)
            #expect(JWTParts.decode(idToken).payload["nonce"] as? String == "n-1")
            #expect(tokens.object["refresh_token"] != nil)
            let again = try await client.form(app.tokenPath, exchange)
            #expect(again.object["error"] as? String == "invalid_grant")
        }
    }

    @Test("an unregistered redirect URI gets an error page, never a redirect")
    func badRedirect() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            try await Self.setUp(app, client)
            let query = "response_type=code&client_id=portal&redirect_uri=\(FormEncoding.encode("http://evil.example/cb"))"
            let page = try await client.execute(uri: "/realms/\(app.realm)/protocol/openid-connect/auth?\(query)", method: .get)
            #expect(page.status == .badRequest)
            #expect(page.headers[.location] == nil)
            let unknown = try await client.execute(
                uri: "/realms/\(app.realm)/protocol/openid-connect/auth?response_type=code&client_id=ghost&redirect_uri=x", method: .get)
            #expect(unknown.status == .badRequest)
        }
    }

    @Test("a one-time password must be changed on the login page")
    func updatePassword() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            try await Self.setUp(app, client, temporary: true)
            let auth = "/realms/\(app.realm)/protocol/openid-connect/auth"
            let prompt = try await client.form(auth, Self.loginFields())
            #expect(prompt.status == .ok)
            #expect(prompt.text.contains("password-new"))
            #expect(!prompt.text.contains("wonderland-42"), "the update page never carries the password")
            let mismatch = try await client.form(auth, Self.loginFields() + [("password-new", "new-password-1"), ("password-confirm", "other")])
            #expect(mismatch.status == .badRequest)
            let changed = try await client.form(
                auth, Self.loginFields() + [("password-new", "new-password-1"), ("password-confirm", "new-password-1")])
            #expect(changed.status == .found)
            let grant = try await client.form(
                app.tokenPath, [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "alice"), ("password", "new-password-1")])
            #expect(grant.status == .ok)
        }
    }

    @Test("the password-change page continues with a sealed, expiring value instead of the password")
    func updatePasswordWithPendingValue() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            try await Self.setUp(app, client, temporary: true)
            let auth = "/realms/\(app.realm)/protocol/openid-connect/auth"
            let prompt = try await client.form(auth, Self.loginFields())
            let pending = try Self.pendingValue(in: prompt.text)
            let oauth = Self.loginFields().filter { !["username", "password"].contains($0.0) }
            let same = try await client.form(auth, oauth + [("pending", pending), ("password-new", "wonderland-42"), ("password-confirm", "wonderland-42")])
            #expect(same.status == .badRequest, "the new password must differ from the one-time password")
            #expect(same.text.contains("Choose a password different from the current one."))
            let short = try await client.form(auth, oauth + [("pending", pending), ("password-new", "short"), ("password-confirm", "short")])
            #expect(short.status == .badRequest)
            #expect(short.text.contains("Choose a new password of at least 8 characters."))
            app.clock.advance(301)
            let late = try await client.form(auth, oauth + [("pending", pending), ("password-new", "new-password-2"), ("password-confirm", "new-password-2")])
            #expect(late.status == .unauthorized, "an expired pending value is worth nothing")
            let fresh = try await client.form(auth, Self.loginFields())
            let freshPending = try Self.pendingValue(in: fresh.text)
            let changed = try await client.form(
                auth, oauth + [("pending", freshPending), ("password-new", "new-password-2"), ("password-confirm", "new-password-2")])
            #expect(changed.status == .found)
        }
    }

    /// The `pending` hidden field of the update-password page, HTML entities undone.
    static func pendingValue(in page: String) throws -> String {
        let start = try #require(page.range(of: #"name="pending" value=""#)).upperBound
        var value = String(page[start...].prefix { $0 != "\"" })
        for (entity, character) in [("&#43;", "+"), ("&#x2B;", "+"), ("&#x2F;", "/"), ("&#61;", "="), ("&#x3D;", "=")] {
            value = value.replacingOccurrences(of: entity, with: character)
        }
        return value
    }
}
