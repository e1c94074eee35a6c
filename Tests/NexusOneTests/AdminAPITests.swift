import DatabaseFixtures
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Keycloak admin REST subset")
struct AdminAPITests {
    @Test("the server administrator creates a realm, a client, a user with a role, and reads the secret", arguments: TestDatabases.kinds)
    func deploymentScriptFlow(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let admin = try await app.masterAdminToken(client)
            let realm = try await client.json("/admin/realms", method: .post, token: admin, body: #"{"realm":"companyB","enabled":true}"#)
            #expect(realm.status == .created)
            #expect(realm.headers[.location] == "\(TestApp.baseURL)/admin/realms/companyB")
            let duplicate = try await client.json("/admin/realms", method: .post, token: admin, body: #"{"realm":"companyB"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.object["errorMessage"] != nil)

            let createdClient = try await client.json(
                "/admin/realms/companyB/clients", method: .post, token: admin,
                body: #"{"clientId":"etl","serviceAccountsEnabled":true}"#)
            #expect(createdClient.status == .created)
            let clientUUID = String(try #require(createdClient.headers[.location]).split(separator: "/").last!)
            let listed = try await client.json("/admin/realms/companyB/clients?clientId=etl", method: .get, token: admin)
            #expect(listed.array.first?["id"] as? String == clientUUID)
            #expect(listed.array.first?["publicClient"] as? Bool == false)
            let secret = try await client.json("/admin/realms/companyB/clients/\(clientUUID)/client-secret", method: .get, token: admin)
            #expect(secret.object["type"] as? String == "secret")
            let value = try #require(secret.object["value"] as? String)
            #expect(value.count == 32)
            let token = try await client.form(
                "/realms/companyB/protocol/openid-connect/token",
                [("grant_type", "client_credentials"), ("client_id", "etl"), ("client_secret", value)])
            #expect(token.status == .ok)
            let regenerated = try await client.json("/admin/realms/companyB/clients/\(clientUUID)/client-secret", method: .post, token: admin)
            let newValue = try #require(regenerated.object["value"] as? String)
            #expect(newValue != value)
            let oldSecret = try await client.form(
                "/realms/companyB/protocol/openid-connect/token",
                [("grant_type", "client_credentials"), ("client_id", "etl"), ("client_secret", value)])
            #expect(oldSecret.status == .unauthorized, "a cached client must not outlive a secret change on this node")
            let serviceAccount = try await client.json("/admin/realms/companyB/clients/\(clientUUID)/service-account-user", method: .get, token: admin)
            #expect(serviceAccount.object["username"] as? String == "service-account-etl")

            let user = try await client.json(
                "/admin/realms/companyB/users", method: .post, token: admin,
                body: #"{"username":"bob","enabled":true,"credentials":[{"type":"password","value":"builder-123","temporary":false}]}"#)
            #expect(user.status == .created)
            let userId = String(try #require(user.headers[.location]).split(separator: "/").last!)
            #expect(try await client.json("/admin/realms/companyB/roles/nx1_ask", method: .get, token: admin).status == .notFound, "deploy adds them")
            _ = try await client.json("/admin/realms/companyB/roles", method: .post, token: admin, body: #"{"name":"nx1_ask"}"#)
            let role = try await client.json("/admin/realms/companyB/roles/nx1_ask", method: .get, token: admin)
            let roleId = try #require(role.object["id"] as? String)
            let wrongPair = try await client.json(
                "/admin/realms/companyB/users/\(userId)/role-mappings/realm", method: .post, token: admin, body: #"[{"id":"nope","name":"nx1_ask"}]"#)
            #expect(wrongPair.status == .notFound)
            let assigned = try await client.json(
                "/admin/realms/companyB/users/\(userId)/role-mappings/realm", method: .post, token: admin,
                body: #"[{"id":"\#(roleId)","name":"nx1_ask"}]"#)
            #expect(assigned.status == .noContent)
            let mappings = try await client.json("/admin/realms/companyB/users/\(userId)/role-mappings/realm", method: .get, token: admin)
            #expect(mappings.array.contains { $0["name"] as? String == "nx1_ask" })
            let search = try await client.json("/admin/realms/companyB/users?username=bob&exact=true", method: .get, token: admin)
            #expect(search.array.count == 1)

            let bobToken = try await client.form(
                "/realms/companyB/protocol/openid-connect/token",
                [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "bob"), ("password", "builder-123")])
            let bobAccess = try #require(bobToken.object["access_token"] as? String)
            let roles = (JWTParts.decode(bobAccess).payload["realm_access"] as? [String: Any])?["roles"] as? [String] ?? []
            #expect(roles.contains("nx1_ask"))
            #expect(roles.contains("offline_access"))

            let removed = try await client.json(
                "/admin/realms/companyB/users/\(userId)/role-mappings/realm", method: .delete, token: admin,
                body: #"[{"id":"\#(roleId)","name":"nx1_ask"}]"#)
            #expect(removed.status == .noContent)
            let deletedRealm = try await client.json("/admin/realms/companyB", method: .delete, token: admin)
            #expect(deletedRealm.status == .noContent)
            let gone = try await client.json("/admin/realms/companyB", method: .get, token: admin)
            #expect(gone.status == .notFound)
        }
    }

    @Test("a realm administrator manages only its own realm; others get 401/403")
    func authorization() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let admin = try await app.masterAdminToken(client)
            _ = try await client.json("/admin/realms", method: .post, token: admin, body: #"{"realm":"other"}"#)
            let realmAdmin = try await client.json(
                "/admin/realms/\(app.realm)/users", method: .post, token: admin,
                body: #"{"username":"ops","credentials":[{"value":"ops-password-1"}],"realmRoles":["nx1_admin"]}"#)
            #expect(realmAdmin.status == .created)
            let opsToken = try await client.form(
                app.tokenPath, [("grant_type", "password"), ("client_id", "admin-cli"), ("username", "ops"), ("password", "ops-password-1")])
            let ops = try #require(opsToken.object["access_token"] as? String)
            #expect(try await client.json("/admin/realms/\(app.realm)/users", method: .get, token: ops).status == .ok)
            #expect(try await client.json("/admin/realms/other/users", method: .get, token: ops).status == .forbidden)
            #expect(try await client.json("/admin/realms", method: .post, token: ops, body: #"{"realm":"x"}"#).status == .forbidden)
            let service = try await app.serviceToken(client)
            #expect(try await client.json("/admin/realms/\(app.realm)/users", method: .get, token: service).status == .forbidden)
            let anonymous = try await client.execute(uri: "/admin/realms/\(app.realm)/users", method: .get)
            #expect(anonymous.status == .unauthorized)
            let badJSON = try await client.json("/admin/realms/\(app.realm)/users", method: .post, token: admin, body: "{not json")
            #expect(badJSON.status == .badRequest)
            let duplicate = try await client.json("/admin/realms/\(app.realm)/users", method: .post, token: admin, body: #"{"username":"OPS"}"#)
            #expect(duplicate.status == .conflict)
        }
    }
}
