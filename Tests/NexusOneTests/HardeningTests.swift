import DatabaseFixtures
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RealmEndpoints
import Server
import SQLKit
import Storage
import Testing

@testable import API
@testable import HTTPKit
@testable import Identity

/// Each finding of the security review (issue "Hardening"), as the attacker tried it.
@Suite("Hardening")
struct HardeningTests {
    @Test("realm settings out of range are 400 and the token endpoint keeps working", arguments: TestDatabases.kinds)
    func realmSettingsRange(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let admin = try await app.masterAdminToken(client)
            let path = "/admin/realms/\(app.realm)"
            for body in [
                #"{"accessTokenLifespan":9223372036854775807}"#, #"{"accessTokenLifespan":0}"#, #"{"ssoSessionIdleTimeout":9223372036854775807}"#,
                #"{"ssoSessionIdleTimeout":-5}"#, #"{"notBefore":-1}"#, #"{"notBefore":9223372036854775807}"#, #"{"accessTokenLifespan":1e300}"#,
            ] {
                let refused = try await client.json(path, method: .put, token: admin, body: body)
                #expect(refused.status == .badRequest, "\(body): \(refused.text)")
            }
            let accepted = try await client.json(path, method: .put, token: admin, body: #"{"accessTokenLifespan":31536000}"#)
            #expect(accepted.status == .noContent)
            let token = try await app.serviceToken(client)
            let claims = JWTParts.decode(token).payload
            #expect((claims["exp"] as? Int ?? 0) - (claims["iat"] as? Int ?? 0) == 31_536_000)
        }
    }

    @Test("a pending password change is single use and bound to its authorization request", arguments: TestDatabases.kinds)
    func pendingPasswordChange(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            try await AuthorizationCodeTests.setUp(app, client, temporary: true)
            let auth = "/realms/\(app.realm)/protocol/openid-connect/auth"
            let prompt = try await client.form(auth, AuthorizationCodeTests.loginFields())
            let pending = try AuthorizationCodeTests.pendingValue(in: prompt.text)
            let oauth = AuthorizationCodeTests.loginFields().filter { !["username", "password"].contains($0.0) }
            let newPassword = [("password-new", "new-password-3"), ("password-confirm", "new-password-3")]

            let otherRequest = oauth.map { $0.0 == "state" ? ("state", "someone-else") : $0 }
            let moved = try await client.form(auth, otherRequest + [("pending", pending)] + newPassword)
            #expect(moved.status == .unauthorized, "a pending change made for one request is worth nothing for another")

            // Many simultaneous submissions of one pending change: one sets the password and signs in.
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 { group.addTask { try await client.form(auth, oauth + [("pending", pending)] + newPassword).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .found }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 != .found }.allSatisfy { $0 == .unauthorized })

            let replayed = try await client.form(auth, oauth + [("pending", pending)])
            #expect(replayed.status == .unauthorized, "once the password is set, the pending value signs nobody in")
            let signedIn = try await client.form(auth, AuthorizationCodeTests.loginFields(password: "new-password-3"))
            #expect(signedIn.status == .found)
        }
    }

    @Test("an access token is no id_token_hint: browser logout ends a session only for its ID token")
    func idTokenHintType() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            _ = try await SessionTests.createAlice(app, client)
            let tokens = try await SessionTests.passwordGrant(app, client)
            let access = try #require(tokens["access_token"] as? String)
            let idToken = try #require(tokens["id_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)
            let logout = "/realms/\(app.realm)/protocol/openid-connect/logout?id_token_hint="
            _ = try await client.execute(uri: logout + access, method: .get)
            let stillLive = try await client.form(
                app.tokenPath, [("grant_type", "refresh_token"), ("client_id", "admin-cli"), ("refresh_token", refresh)])
            #expect(stillLive.status == .ok, "the session named by an access token is not ended")
            let rotated = try #require(stillLive.object["refresh_token"] as? String)
            _ = try await client.execute(uri: logout + idToken, method: .get)
            let ended = try await client.form(app.tokenPath, [("grant_type", "refresh_token"), ("client_id", "admin-cli"), ("refresh_token", rotated)])
            #expect(ended.status == .badRequest)
        }
    }

    @Test("key administration needs a bearer token: an nx1_admin's Personal PSK is refused", arguments: TestDatabases.kinds)
    func keyAdministrationNeedsBearer(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let admin = try await app.masterAdminToken(client)
            _ = try await client.json(
                "/admin/realms/\(app.realm)/users", method: .post, token: admin,
                body: #"{"username":"ops","credentials":[{"value":"ops-password-1"}],"realmRoles":["nx1_admin"]}"#)
            let ops = try #require(
                try await client.form(app.tokenPath, [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "ops"), ("password", "ops-password-1")])
                    .object["access_token"] as? String)
            let opsKey = try #require(try await PSKTests.create(client, token: ops).object["psk"] as? String)
            for (method, path) in [(HTTPRequest.Method.get, "/api/admin/psk"), (.get, "/api/admin/audit"), (.delete, "/api/admin/psk/any")] {
                let refused = try await client.execute(uri: path, method: method, headers: [.init("Authorization-PSK")!: opsKey])
                #expect(refused.status == .forbidden, "\(path)")
                #expect(refused.text.contains("bearer token"))
            }
            #expect(try await client.json("/api/admin/psk", method: .get, token: ops).status == .ok)
        }
    }

    @Test("disabling a user, signing them out or resetting their password ends their earlier tokens at once", arguments: TestDatabases.kinds)
    func userCutOff(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let aliceId = try await SessionTests.createAlice(app, client)
            let admin = try await app.masterAdminToken(client)
            let user = "/admin/realms/\(app.realm)/users/\(aliceId)"
            for (method, path, body) in [
                (HTTPRequest.Method.put, user, #"{"enabled":false}"#), (.post, user + "/logout", nil),
                (.put, user + "/reset-password", #"{"type":"password","value":"wonderland-42","temporary":false}"#),
            ] {
                _ = try await client.json(user, method: .put, token: admin, body: #"{"enabled":true}"#)
                app.clock.advance(1)
                let token = try #require(try await SessionTests.passwordGrant(app, client)["access_token"] as? String)
                #expect(try await client.json("/api/user/me", method: .get, token: token).status == .ok)
                #expect(try await client.json(path, method: method, token: admin, body: body).status == .noContent, "\(path)")
                #expect(try await client.json("/api/user/me", method: .get, token: token).status == .unauthorized, "\(path)")
                let userinfo = try await client.json("/realms/\(app.realm)/protocol/openid-connect/userinfo", method: .get, token: token)
                #expect(userinfo.status == .unauthorized, "\(path)")
            }
            _ = try await client.json(user, method: .put, token: admin, body: #"{"enabled":true}"#)
            app.clock.advance(1)
            let fresh = try #require(try await SessionTests.passwordGrant(app, client)["access_token"] as? String)
            #expect(try await client.json("/api/user/me", method: .get, token: fresh).status == .ok, "tokens issued afterwards work")
        }
    }

    @Test("a deleted user's tokens are refused; a pushed not-before ends refresh tokens too (\"Stale token\")", arguments: TestDatabases.kinds)
    func deletedUserAndStaleRefresh(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let aliceId = try await SessionTests.createAlice(app, client)
            let admin = try await app.masterAdminToken(client)
            let tokens = try await SessionTests.passwordGrant(app, client)
            let refresh = try #require(tokens["refresh_token"] as? String)
            app.clock.advance(5)
            let pushed = try await client.json(
                "/admin/realms/\(app.realm)", method: .put, token: admin, body: #"{"notBefore":\#(app.clock.now)}"#)
            #expect(pushed.status == .noContent)
            let stale = try await client.form(app.tokenPath, [("grant_type", "refresh_token"), ("client_id", "admin-cli"), ("refresh_token", refresh)])
            #expect(stale.status == .badRequest)
            #expect(stale.object["error_description"] as? String == "Stale token")
            app.clock.advance(1)
            let token = try #require(try await SessionTests.passwordGrant(app, client)["access_token"] as? String)
            #expect(try await client.json("/api/user/me", method: .get, token: token).status == .ok)
            #expect(try await client.json("/admin/realms/\(app.realm)/users/\(aliceId)", method: .delete, token: admin).status == .noContent)
            #expect(try await client.json("/api/user/me", method: .get, token: token).status == .unauthorized)
        }
    }

    @Test("the master realm is the server administrator's: its nx1_admin cannot administer it")
    func masterRealmAdministration() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let admin = try await app.masterAdminToken(client)
            let created = try await client.json(
                "/admin/realms/master/users", method: .post, token: admin,
                body: #"{"username":"deputy","credentials":[{"value":"deputy-password-1"}],"realmRoles":["nx1_admin"]}"#)
            #expect(created.status == .created)
            let deputy = try #require(
                try await client.form(
                    "/realms/master/protocol/openid-connect/token",
                    [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "deputy"), ("password", "deputy-password-1")]
                ).object["access_token"] as? String)
            #expect(try await client.json("/admin/realms/master/users", method: .get, token: deputy).status == .forbidden)
            let escalate = try await client.json(
                "/admin/realms/master/users", method: .post, token: deputy, body: #"{"username":"mallory","realmRoles":["admin"]}"#)
            #expect(escalate.status == .forbidden)
        }
    }

    @Test("a code presented by another client is not burnt; an embed link opens in its one spelling only")
    func codesAndLinksStayTheirs() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            try await AuthorizationCodeTests.setUp(app, client)
            let admin = try await app.masterAdminToken(client)
            let intruder = try await client.json(
                "/admin/realms/\(app.realm)/clients", method: .post, token: admin,
                body: #"{"clientId":"intruder","publicClient":true,"redirectUris":["\#(AuthorizationCodeTests.redirect)"]}"#)
            #expect(intruder.status == .created)
            let login = try await client.form("/realms/\(app.realm)/protocol/openid-connect/auth", AuthorizationCodeTests.loginFields())
            let location = try #require(login.headers[.location])
            let code = try #require(AuthorizationCodeTests.code(from: location))
            let exchange = [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", AuthorizationCodeTests.redirect),
                ("code_verifier", AuthorizationCodeTests.verifier),
            ]
            let stolen = try await client.form(app.tokenPath, exchange + [("client_id", "intruder")])
            #expect(stolen.object["error"] as? String == "invalid_grant")
            let rightful = try await client.form(app.tokenPath, exchange + [("client_id", "portal")])
            #expect(rightful.status == .ok, "the wrong client's attempt did not use the code up")

            let token = try await app.serviceToken(client)
            let query = try await client.post("/api/query/submit", token: token, ["query": "SELECT COUNT(*) AS n FROM orders"])
            let path = String(try #require(query.object["embed_url"] as? String).dropFirst(TestApp.baseURL.count))
            let respelled = path.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="
            #expect(try await client.execute(uri: respelled, method: .get).status == .forbidden)
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
            #expect(try await client.execute(uri: path, method: .get).status == .forbidden, "an embed link opens once")
        }
    }

    @Test("an nx1_admin's own token stops working on the admin REST once that admin is disabled")
    func disabledAdministrator() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let admin = try await app.masterAdminToken(client)
            let created = try await client.json(
                "/admin/realms/\(app.realm)/users", method: .post, token: admin,
                body: #"{"username":"ops","credentials":[{"value":"ops-password-1"}],"realmRoles":["nx1_admin"]}"#)
            let opsId = String(try #require(created.headers[.location]).split(separator: "/").last!)
            let ops = try #require(
                try await client.form(app.tokenPath, [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "ops"), ("password", "ops-password-1")])
                    .object["access_token"] as? String)
            #expect(try await client.json("/admin/realms/\(app.realm)/users", method: .get, token: ops).status == .ok)
            _ = try await client.json("/admin/realms/\(app.realm)/users/\(opsId)", method: .put, token: admin, body: #"{"enabled":false}"#)
            #expect(try await client.json("/admin/realms/\(app.realm)/users", method: .get, token: ops).status == .unauthorized)
        }
    }

    @Test("a public client must use PKCE with S256")
    func publicClientsNeedS256() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            try await AuthorizationCodeTests.setUp(app, client)
            let auth = "/realms/\(app.realm)/protocol/openid-connect/auth"
            let base = "response_type=code&client_id=portal&redirect_uri=\(FormEncoding.encode(AuthorizationCodeTests.redirect))&state=s"
            for query in [base, base + "&code_challenge=\(AuthorizationCodeTests.challenge)&code_challenge_method=plain",
                base + "&code_challenge=\(AuthorizationCodeTests.challenge)"] {
                let refused = try await client.execute(uri: "\(auth)?\(query)", method: .get)
                #expect(refused.status == .found, "\(query)")
                #expect(refused.headers[.location]?.contains("error=invalid_request") == true, "\(query)")
            }
            let accepted = try await client.execute(uri: "\(auth)?\(AuthorizationCodeTests.authorizeQuery())", method: .get)
            #expect(accepted.status == .ok)
        }
    }

    @Test("CSV pages neutralise spreadsheet formulas in text; numbers stay numbers", arguments: TestDatabases.kinds)
    func csvFormulas(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let submitted = try await client.post(
                "/api/query/submit", token: token,
                ["query": "SELECT '=HYPERLINK(\"http://x\")' AS a, '+1' AS b, '-2' AS c, '@SUM(A1)' AS d, 'plain' AS e, -5 AS n, 2.5 AS r"])
            let id = try #require(submitted.object["id"] as? String)
            let csv = try await client.execute(
                uri: "/api/query/\(id)/data", method: .get, headers: [.authorization: "Bearer \(token)", .accept: "text/csv"])
            #expect(csv.status == .ok)
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.count == 2)
            #expect(lines[1] == #""'=HYPERLINK(""http://x"")",'+1,'-2,'@SUM(A1),plain,-5,2.5"#, "\(lines)")
        }
    }

    @Test("a page over the byte cap is 422 on limit, and SQL that hides code from the guard is 422", arguments: TestDatabases.kinds)
    func pageCapThroughTheAPI(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let wide = kind == .sqlite ? "SELECT printf('%.1000c', 'x') AS x FROM order_items" : "SELECT repeat('x', 1000) AS x FROM order_items"
            let id = try #require(try await client.post("/api/query/submit", token: token, ["query": wide]).object["id"] as? String)
            let page = try await client.json("/api/query/\(id)/data?limit=10000", method: .get, token: token)
            #expect(page.status == .unprocessableContent)
            #expect(page.problem?.loc == ["query", "limit"], "\(page.text)")
            #expect(page.problem?.msg.contains("8 MiB") == true)
            #expect(try await client.json("/api/query/\(id)/data?limit=100", method: .get, token: token).status == .ok)
            // Code after a comment, as each database reads comments (SQLite ends `--` at LF, PostgreSQL at CR too).
            let afterComment = kind == .sqlite ? "SELECT 1 AS a --\r'\n, load_extension('x') --'" : "SELECT 1 AS a --\r, pg_sleep_for('1 hour')"
            for sneaky in [afterComment, "SELECT 1 AS a --\r\n, fts3_tokenizer('simple')", "SELECT 'x'\u{301} AS a"] {
                let refused = try await client.post("/api/query/submit", token: token, ["query": sneaky])
                #expect(refused.status == .unprocessableContent, "\(sneaky.debugDescription)")
            }
        }
    }

    @Test("/health/ready answers 503 within a second when the database does not answer; /health/live answers")
    func readinessDeadline() async throws {
        let silent = SilentDatabase()
        let started = ContinuousClock.now
        #expect(await silent.isReachable(within: .milliseconds(200)) == false)
        #expect(ContinuousClock.now - started < .seconds(1))
        let router = Router(context: AppRequestContext.self)
        HealthController(databaseAnswers: { await silent.isReachable(within: $0) }, version: "test").addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            let asked = ContinuousClock.now
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(ContinuousClock.now - asked < .seconds(1))
            let live = try await client.execute(uri: "/health/live", method: .get)
            #expect(live.status == .ok)
        }
    }

    @Test("throttling: a stranger's failures cannot lock the owner out, and guessing stays slow from anywhere")
    func throttle() {
        let clock = TestClock()
        let throttle = FailureThrottle(limit: 5, clock: clock.epochClock)
        let owner = FailureThrottle.Attempt(credential: "client:r/app", address: "10.0.0.1")
        throttle.recordSuccess(owner)
        // One stranger: blocked after 5 failures for this credential, while the owner is not.
        let stranger = FailureThrottle.Attempt(credential: "client:r/app", address: "10.6.6.6")
        for _ in 0..<5 { throttle.recordFailure(stranger) }
        #expect(throttle.retryAfter(stranger) != nil)
        #expect(throttle.retryAfter(owner) == nil)
        // A crowd of strangers, 25 failures in all: the credential is under guard; new addresses wait, the owner does not.
        for index in 0..<25 { throttle.recordFailure(.init(credential: "client:r/app", address: "10.7.0.\(index)")) }
        #expect(throttle.retryAfter(.init(credential: "client:r/app", address: "10.8.0.1")) != nil)
        #expect(throttle.retryAfter(owner) == nil)
        // One address spraying many credentials is blocked as an address — but not for a credential that signed in
        // from it today (callers behind one proxy share an address).
        let regular = FailureThrottle.Attempt(credential: "user:r/regular", address: "10.9.9.9")
        throttle.recordSuccess(regular)
        for index in 0..<25 { throttle.recordFailure(.init(credential: "user:r/u\(index)", address: "10.9.9.9")) }
        #expect(throttle.retryAfter(.init(credential: "user:r/someone-else", address: "10.9.9.9")) != nil)
        #expect(throttle.retryAfter(regular) == nil)
        // The penalty ends.
        clock.advance(31)
        #expect(throttle.retryAfter(stranger) == nil)
        #expect(throttle.retryAfter(.init(credential: "client:r/app", address: "10.8.0.1")) == nil)
    }

    @Test("configuration describes itself without a secret, however it is printed")
    func configurationRedacted() {
        var configuration = Configuration()
        configuration.adminPassword = "admin-secret-1"
        configuration.encryptionKey = "a2V5LXNlY3JldC0xa2V5LXNlY3JldC0xa2V5LXNlYw=="
        configuration.metricsToken = "metrics-secret-1"
        configuration.databaseURL = "postgres://nexusone:db-secret-1@db.example/nexusone"
        configuration.warehouseURL = "postgres://reader:wh-secret-1@db.example/warehouse"
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), "\(configuration)", dumped] {
            for secret in ["admin-secret-1", "a2V5LXNlY3JldC0x", "metrics-secret-1", "db-secret-1", "wh-secret-1"] {
                #expect(!text.contains(secret), "\(secret) in \(text)")
            }
            #expect(text.contains("db.example"))
        }
    }
}

/// A database that never answers (a host that went away without closing connections).
struct SilentDatabase: Database {
    let kind = DatabaseKind.postgres
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await Task.sleep(for: .seconds(3600))
        throw StorageError.unavailable
    }
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T { try await read(body) }
    func run() async throws {}
    func announceChange(on sql: any SQLDatabase) async throws {}
    func listenForChanges(_ onChange: @escaping @Sendable () -> Void) async throws {}
    var poolStatistics: PoolStatistics { PoolStatistics(inUse: 0, idle: 0, waiting: 0) }
}
