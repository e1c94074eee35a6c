import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Secrets
import Storage
import Testing
import Warehouses

@testable import Portal

@Suite("Portal sign-in")
struct PortalTests {
    /// The value of `name` among the response's Set-Cookie headers.
    static func cookie(_ name: String, in response: TestResponse) -> String? {
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2, pair[0] == name { return pair[1] }
        }
        return nil
    }

    /// Hidden inputs of an HTML form, as a browser would post them back.
    static func hiddenFields(_ html: String) -> [(String, String)] {
        html.matches(of: /<input type="hidden" name="([^"]+)" value="([^"]*)">/).map { match in
            (String(match.1), String(match.2).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#x2F;", with: "/")
                .replacingOccurrences(of: "&#x3D;", with: "="))
        }
    }

    @Test("the portal signs in through the realm's login page with PKCE, keeps the session in storage and ends both at logout")
    func signIn() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            _ = try await SessionTests.createAlice(app, client)
            let home = try await client.execute(uri: "/portal/\(app.realm)/", method: .get)
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/portal/\(app.realm)/login")
            #expect(try await client.execute(uri: "/portal/master/", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/portal/nowhere/", method: .get).status == .notFound)

            let start = try await client.execute(uri: "/portal/\(app.realm)/login", method: .get)
            let authorize = try #require(start.headers[.location])
            #expect(authorize.contains("client_id=nexusone-portal") && authorize.contains("code_challenge_method=S256"))
            let loginCookie = try #require(Self.cookie("nx1_portal_login", in: start))
            let page = try await client.execute(uri: authorize, method: .get)
            #expect(page.status == .ok)
            let fields = Self.hiddenFields(page.text) + [("username", "alice"), ("password", "wonderland-42")]
            let submitted = try await client.form("/realms/\(app.realm)/protocol/openid-connect/auth", fields)
            let callback = try #require(submitted.headers[.location])
            #expect(callback.hasPrefix("\(TestApp.baseURL)/portal/\(app.realm)/callback?"))
            let path = String(callback.dropFirst(TestApp.baseURL.count))

            let forged = try await client.execute(
                uri: path.replacingOccurrences(of: "state=", with: "state=x"), method: .get, headers: [.cookie: "nx1_portal_login=\(loginCookie)"])
            #expect(forged.headers[.location]?.contains("/protocol/openid-connect/auth?") == true)  // a new login, no session
            #expect(Self.cookie("nx1_portal", in: forged) == nil)

            let signedIn = try await client.execute(uri: path, method: .get, headers: [.cookie: "nx1_portal_login=\(loginCookie)"])
            #expect(signedIn.headers[.location] == "/portal/\(app.realm)/")
            let session = try #require(Self.cookie("nx1_portal", in: signedIn))
            #expect(signedIn.headers[values: .setCookie].contains { $0.contains("nx1_portal=") && $0.contains("HttpOnly") && $0.contains("SameSite=Lax") })
            let stored = try await app.services.database.read { sql in try await sql.raw("SELECT id_hash FROM portal_sessions").all() }
            #expect(stored.count == 1)
            #expect(try stored[0].decode(column: "id_hash", as: String.self) == TokenDigest.sha256Hex(session))

            let cookie: HTTPFields = [.cookie: "nx1_portal=\(session)"]
            let welcome = try await client.execute(uri: "/portal/\(app.realm)/", method: .get, headers: cookie)
            #expect(welcome.status == .ok)
            #expect(welcome.text.contains(">AL</summary>"))
            #expect(welcome.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(!welcome.text.contains("/portal/\(app.realm)/admin"))  // no admin navigation without nx1_admin

            let csrf = try #require(Self.hiddenFields(welcome.text).first { $0.0 == "csrf" }?.1)
            let refused = try await client.form("/portal/\(app.realm)/logout", [("csrf", "forged")], headers: cookie)
            #expect(refused.status == .forbidden)
            let out = try await client.form("/portal/\(app.realm)/logout", [("csrf", csrf)], headers: cookie)
            #expect(out.status == .seeOther)
            #expect(try await client.execute(uri: "/portal/\(app.realm)/", method: .get, headers: cookie).status == .seeOther)
        }
    }
}

@Suite("Portal cards")
struct PortalCardTests {
    @Test("the embed page shows the card without a session until its token expires")
    func embedPage() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let token = try await app.serviceToken(client)
            let created = try await client.post("/api/query/submit", token: token, ["query": "SELECT channel, COUNT(*) AS n FROM orders GROUP BY channel", "prompt": "Orders per channel"])
            let embedURL = try #require(created.object["embed_url"] as? String)
            let path = String(embedURL.dropFirst(TestApp.baseURL.count))
            let shown = try await client.execute(uri: path, method: .get)
            #expect(shown.status == .ok)
            #expect(shown.text.contains("Orders per channel"))
            #expect(shown.text.contains("<svg"))
            #expect(shown.headers[.contentSecurityPolicy]?.contains("frame-ancestors *") == true)
            app.clock.advance(15 * 60 + 1)
            #expect(try await client.execute(uri: path, method: .get).status == .forbidden)
        }
    }

    @Test("the chart follows the result's shape: a number, bars, a line, or none")
    func chartKinds() {
        #expect(ChartRenderer.kind(of: ResultSet(columns: ["n"], rows: [[.integer(6000)]])) == .number)
        #expect(ChartRenderer.kind(of: ResultSet(columns: ["channel", "n"], rows: [[.text("Web"), .integer(3)], [.text("Store"), .integer(1)]])) == .bars)
        #expect(ChartRenderer.kind(of: ResultSet(columns: ["month", "n"], rows: [[.text("2024-01"), .real(1.5)], [.text("2024-02"), .null]])) == .line)
        #expect(ChartRenderer.kind(of: ResultSet(columns: ["a", "b"], rows: [[.text("x"), .text("y")]])) == nil)
        #expect(ChartRenderer.kind(of: ResultSet(columns: [], rows: [])) == nil)
        let svg = ChartRenderer.svg(for: ResultSet(columns: ["c", "n"], rows: [[.text("<b>&"), .integer(2)]]), title: "t<script>") ?? ""
        #expect(svg.contains("&lt;b&gt;&amp;") && svg.contains("t&lt;script&gt;") && !svg.contains("<script>"))
    }
}
