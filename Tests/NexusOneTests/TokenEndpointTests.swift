import DatabaseFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Token endpoint")
struct TokenEndpointTests {
    @Test("client_credentials answers exactly the documented six fields", arguments: TestDatabases.kinds)
    func clientCredentialsMatchesDocs(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let response = try await client.form(
                app.tokenPath, [("grant_type", "client_credentials"), ("scope", "profile"), ("client_id", app.clientId), ("client_secret", app.clientSecret)])
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.init("Pragma")!] == "no-cache")
            let body = response.object
            #expect(Set(body.keys) == ["access_token", "expires_in", "refresh_expires_in", "token_type", "not-before-policy", "scope"])
            #expect(body["expires_in"] as? Int == 600)
            #expect(body["refresh_expires_in"] as? Int == 0)
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["not-before-policy"] as? Int == 0)
            #expect(body["scope"] as? String == "email openid profile")
            #expect(response.text.hasPrefix(#"{"access_token":"#))
            #expect(response.text.hasSuffix(#""token_type":"Bearer","not-before-policy":0,"scope":"email openid profile"}"#))
        }
    }

    @Test("the access token carries Keycloak's claims for a service account", arguments: TestDatabases.kinds)
    func serviceAccountClaims(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let token = try await app.serviceToken(client)
            let (header, claims) = JWTParts.decode(token)
            #expect(header["alg"] as? String == "RS256")
            #expect(header["typ"] as? String == "JWT")
            #expect((header["kid"] as? String)?.isEmpty == false)
            #expect(claims["iss"] as? String == "\(TestApp.baseURL)/realms/\(app.realm)")
            #expect(claims["typ"] as? String == "Bearer")
            #expect(claims["aud"] as? String == "account")
            #expect(claims["azp"] as? String == app.clientId)
            #expect(claims["client_id"] as? String == app.clientId)
            #expect(claims["acr"] as? String == "1")
            #expect(claims["preferred_username"] as? String == "service-account-\(app.clientId.lowercased())")
            #expect((claims["exp"] as? Int ?? 0) - (claims["iat"] as? Int ?? 0) == 600)
            let roles = ((claims["realm_access"] as? [String: Any])?["roles"] as? [String]) ?? []
            for role in ["nx1_app_manager", "nx1_ask", "nx1_engineer", "nx1_ingest", "nx1_monitor", "nx1_monitor_admin", "default-roles-\(app.realm)"] {
                #expect(roles.contains(role), "missing \(role)")
            }
            #expect(!roles.contains("nx1_admin"))
        }
    }

    @Test("client_secret_basic works with URL-encoded halves")
    func basicAuthentication() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let basic = Data("\(FormEncoding.encode(app.clientId)):\(FormEncoding.encode(app.clientSecret))".utf8).base64EncodedString()
            let response = try await client.form(app.tokenPath, [("grant_type", "client_credentials")], headers: [.authorization: "Basic \(basic)"])
            #expect(response.status == .ok)
            #expect(response.object["scope"] as? String == "email openid profile")
        }
    }

    @Test("every row of the error table", arguments: TestDatabases.kinds)
    func errorTable(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            func expect(_ path: String, _ fields: [(String, String)], _ status: Int, _ error: String, _ description: String?) async throws {
                let response = try await client.form(path, fields)
                #expect(response.status.code == status, "\(fields): \(response.text)")
                #expect(response.object["error"] as? String == error, "\(fields): \(response.text)")
                #expect(response.object["error_description"] as? String == description, "\(fields): \(response.text)")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            let good = [("client_id", app.clientId), ("client_secret", app.clientSecret)]
            try await expect("/realms/nope/protocol/openid-connect/token", [("grant_type", "client_credentials")] + good, 404, "Realm does not exist", nil)
            try await expect(app.tokenPath, good, 400, "invalid_request", "Missing form parameter: grant_type")
            try await expect(app.tokenPath, [("grant_type", "implicit")] + good, 400, "unsupported_grant_type", "Unsupported grant_type")
            try await expect(
                app.tokenPath, [("grant_type", "client_credentials"), ("client_id", "ghost"), ("client_secret", "x")], 401, "invalid_client",
                "Invalid client or Invalid client credentials")
            try await expect(app.tokenPath, [("grant_type", "client_credentials")], 401, "invalid_client", "Invalid client or Invalid client credentials")
            try await expect(
                app.tokenPath, [("grant_type", "client_credentials"), ("client_id", app.clientId), ("client_secret", "wrong")], 401,
                "unauthorized_client", "Invalid client or Invalid client credentials")
            try await expect(
                app.tokenPath, [("grant_type", "client_credentials"), ("client_id", app.clientId)], 401, "unauthorized_client",
                "Invalid client or Invalid client credentials")
            try await expect(
                app.tokenPath, [("grant_type", "client_credentials"), ("client_id", "admin-cli")], 401, "unauthorized_client",
                "Public client not allowed to retrieve service account")
            try await expect(
                app.tokenPath, [("grant_type", "client_credentials"), ("scope", "profile superpowers")] + good, 400, "invalid_scope",
                "Invalid scopes: profile superpowers")
            try await expect(
                app.tokenPath, [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "admin"), ("password", "wrong")], 401,
                "invalid_grant", "Invalid user credentials")
            try await expect(app.tokenPath, [("grant_type", "refresh_token"), ("refresh_token", "not.a.token")] + good, 400, "invalid_grant", "Invalid refresh token")
        }
    }

    @Test("a client without service accounts is refused client_credentials")
    func serviceAccountsDisabled() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let admin = try await app.masterAdminToken(client)
            let created = try await client.json(
                "/admin/realms/\(app.realm)/clients", method: .post, token: admin, body: #"{"clientId":"plain","secret":"0123456789abcdef0123"}"#)
            #expect(created.status == .created)
            let response = try await client.form(
                app.tokenPath, [("grant_type", "client_credentials"), ("client_id", "plain"), ("client_secret", "0123456789abcdef0123")])
            #expect(response.status == .unauthorized)
            #expect(response.object["error_description"] as? String == "Client not enabled to retrieve service account")
        }
    }

    @Test("malformed requests get 4xx, never 5xx")
    func malformedCorpus() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let bodies: [(String, String?)] = [
                ("", "application/x-www-form-urlencoded"),
                (#"{"grant_type":"client_credentials"}"#, "application/json"),
                ("grant_type=client_credentials&grant_type=password", "application/x-www-form-urlencoded"),
                ("grant_type=client_credentials&client_id=a&client_id=b", "application/x-www-form-urlencoded"),
                (String(repeating: "a=b&", count: 40_000), "application/x-www-form-urlencoded"),
                ("grant_type=%ZZ", "application/x-www-form-urlencoded"),
                ("grant_type=client_credentials&client_id=%FF%FE", "application/x-www-form-urlencoded"),
                ("grant_type=client_credentials&client_id=\u{00e9}", "application/x-www-form-urlencoded"),
                ("grant_type=client_credentials&client_id=a%00b", "application/x-www-form-urlencoded"),
                ("=&&=&", "application/x-www-form-urlencoded"),
                ("grant_type=client_credentials", nil),
                ("grant_type=client_credentials", "text/plain"),
            ]
            for (body, contentType) in bodies {
                var headers = HTTPFields()
                if let contentType { headers[.contentType] = contentType }
                let response = try await client.execute(uri: app.tokenPath, method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect((400..<500).contains(response.status.code), "\(body.prefix(60)): \(response.status)")
                #expect(response.object["error"] != nil, "\(body.prefix(60)): \(response.text)")
            }
            for header in ["Basic", "Basic !!!", "Basic \(Data("no-colon".utf8).base64EncodedString())", "Basic \(Data([0xFF, 0x3A, 0xFE]).base64EncodedString())"] {
                let response = try await client.form(app.tokenPath, [("grant_type", "client_credentials")], headers: [.authorization: header])
                #expect((400..<500).contains(response.status.code), "\(header): \(response.status)")
            }
            let nonUTF8 = try await client.execute(
                uri: app.tokenPath, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(bytes: [0x67, 0x72, 0x61, 0x6E, 0x74, 0x3D, 0xFF, 0xFE]))
            #expect(nonUTF8.status == .badRequest)
        }
    }

    @Test("repeated bad secrets are throttled with 429 and Retry-After, and the right secret works again afterwards")
    func throttling() async throws {
        try await TestApp.run(on: .sqlite, failureLimit: 5) { app, client in
            for _ in 0..<5 {
                let response = try await client.form(
                    app.tokenPath, [("grant_type", "client_credentials"), ("client_id", app.clientId), ("client_secret", "wrong")])
                #expect(response.status == .unauthorized)
            }
            let blocked = try await client.form(
                app.tokenPath, [("grant_type", "client_credentials"), ("client_id", app.clientId), ("client_secret", app.clientSecret)])
            #expect(blocked.status == .tooManyRequests)
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
            app.clock.advance(61)
            #expect(try await app.serviceToken(client).isEmpty == false)
        }
    }
}
