import DatabaseFixtures
import Foundation
import HummingbirdTesting
import Storage
import Testing
import Tokens

@testable import RealmEndpoints

/// OpenID Connect Core §3.1.2.1: an ID token answers a request that named `openid`, and only such a request — at
/// sign-in and at every refresh of that sign-in. The access token's `scope` names `openid` either way (identity.md).
@Suite("An ID token only when openid was asked for, at sign-in and at refresh")
struct OpenIDScopeTests {
    /// Asserts the sign-in answer and its refresh both carry an ID token exactly when `openid` was asked for.
    static func expectIDTokens(_ app: TestApp, _ client: any TestClientProtocol, signIn: [String: Any], clientId: String, openid: Bool) async throws {
        #expect((signIn["id_token"] != nil) == openid, "sign-in, openid \(openid)")
        #expect(signIn["scope"] as? String == "email openid profile")
        let refresh = try #require(signIn["refresh_token"] as? String)
        let refreshed = try await client.form(app.tokenPath, [("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", refresh)])
        #expect(refreshed.status == .ok)
        #expect((refreshed.object["id_token"] != nil) == openid, "refresh, openid \(openid)")
        #expect(refreshed.object["scope"] as? String == "email openid profile")
        // And the refresh of the refresh: the choice is kept by every rotation.
        let again = try await client.form(
            app.tokenPath, [("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", try #require(refreshed.object["refresh_token"] as? String))])
        #expect((again.object["id_token"] != nil) == openid, "second refresh, openid \(openid)")
    }

    @Test("password grant and its refreshes", arguments: TestDatabases.kinds)
    func passwordGrant(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            _ = try await SessionTests.createAlice(app, client)
            for (scope, openid) in [("openid", true), ("", false), ("profile", false), ("email openid", true)] {
                let signIn = try await SessionTests.passwordGrant(app, client, scope: scope)
                try await Self.expectIDTokens(app, client, signIn: signIn, clientId: "admin-cli", openid: openid)
            }
        }
    }

    @Test("authorization code grant and its refreshes", arguments: TestDatabases.kinds)
    func authorizationCode(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            try await AuthorizationCodeTests.setUp(app, client)
            let auth = "/realms/\(app.realm)/protocol/openid-connect/auth"
            for (scope, openid) in [("openid", true), ("profile", false)] {
                let fields = AuthorizationCodeTests.loginFields().map { $0.0 == "scope" ? ($0.0, scope) : $0 }
                let login = try await client.form(auth, fields)
                let code = try #require(AuthorizationCodeTests.code(from: login.headers[.location] ?? ""))
                let tokens = try await client.form(
                    app.tokenPath,
                    [("grant_type", "authorization_code"), ("client_id", "portal"), ("code", code), ("redirect_uri", AuthorizationCodeTests.redirect),
                     ("code_verifier", AuthorizationCodeTests.verifier)])
                #expect(tokens.status == .ok)
                try await Self.expectIDTokens(app, client, signIn: tokens.object, clientId: "portal", openid: openid)
            }
        }
    }

    @Test("client credentials: an ID token only when openid was asked for (no refresh token)")
    func clientCredentials() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            for (scope, openid) in [("openid", true), ("", false)] {
                let tokens = try await client.form(
                    app.tokenPath, [("grant_type", "client_credentials"), ("client_id", app.clientId), ("client_secret", app.clientSecret), ("scope", scope)])
                #expect(tokens.status == .ok)
                #expect((tokens.object["id_token"] != nil) == openid)
                #expect(tokens.object["refresh_token"] == nil)
            }
        }
    }
}

@Suite("Scopes recorded before sessions told whether openid was asked for")
struct RecordedScopeTests {
    @Test("a scope recorded with openid (every session before the change) keeps its ID tokens; one without gets none")
    func recordedScopes() throws {
        let plan = ClaimPlan.keycloakDefault
        let old = GrantedScope(stored: "email openid profile", plan: plan)
        #expect(old.requestedOpenID)
        #expect(old.description == "email openid profile")
        let new = GrantedScope(stored: "email profile", plan: plan)
        #expect(!new.requestedOpenID)
        #expect(new.description == "email openid profile", "the token's scope names openid either way (identity.md)")
        #expect(new.stored == "", "default scopes are the client's; a record keeps the optional ones asked for")
        #expect(try GrantedScope(requested: "openid roles", plan: plan).stored == "openid")
        let offline = try GrantedScope(requested: "openid offline_access phone", plan: plan)
        #expect(offline.stored == "offline_access openid phone" && offline.offline)
        #expect(offline.description == "email offline_access openid phone profile")
        #expect(throws: OAuthError.self) { try GrantedScope(requested: "openid payroll", plan: plan) }
    }
}
