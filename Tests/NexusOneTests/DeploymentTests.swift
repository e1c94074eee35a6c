import DatabaseFixtures
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RealmEndpoints
import SQLKit
import Storage
import Testing
import UseCases

@Suite("Deployment, key rotation and secrets at rest")
struct DeploymentTests {
    @Test("deploy is idempotent and prints a secret only when it creates or rotates one", arguments: TestDatabases.kinds)
    func idempotentDeploy(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let deploy = app.services.deploy
            let first = try await deploy(.operatorCLI(realm: "companyA"), DeploymentRequest(clientName: "companyA", clientId: "myID", clientSecret: "a-very-secret-value-0001"))
            #expect(first.createdRealm)
            #expect(first.clientSecret == "a-very-secret-value-0001")
            #expect(first.adminPassword != nil)
            let again = try await deploy(.operatorCLI(realm: "companyA"), DeploymentRequest(clientName: "companyA", clientId: "myID"))
            #expect(!again.createdRealm)
            #expect(again.clientSecret == nil)
            #expect(again.adminPassword == nil)
            let rotated = try await deploy(.operatorCLI(realm: "companyA"), DeploymentRequest(clientName: "companyA", clientId: "myID", rotateSecret: true))
            let newSecret = try #require(rotated.clientSecret)
            #expect(newSecret != first.clientSecret)
            let counts = try await app.services.database.read { sql in
                (try await ClientStore(sql).all(realm: "companyA").filter { $0.clientId == "myID" }.count,
                 try await UserStore(sql).count(realm: "companyA", UserFilter(fields: [.username: .equals("admin")])))
            }
            #expect(counts.0 == 1)
            #expect(counts.1 == 1)
            let old = try await client.form(
                "/realms/companyA/protocol/openid-connect/token",
                [("grant_type", "client_credentials"), ("client_id", "myID"), ("client_secret", "a-very-secret-value-0001")])
            #expect(old.status == .unauthorized)
            let new = try await client.form(
                "/realms/companyA/protocol/openid-connect/token", [("grant_type", "client_credentials"), ("client_id", "myID"), ("client_secret", newSecret)])
            #expect(new.status == .ok)
        }
    }

    @Test("rotation keeps the old key verifying until its tokens expire; ES256 realms sign with P-256", arguments: TestDatabases.kinds)
    func keyRotation(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let before = try await app.serviceToken(client)
            let oldKid = JWTParts.decode(before).header["kid"] as? String
            let provisioner = app.services.provisioner
            let realmName = app.realm
            _ = try await app.services.database.transaction { sql in
                let realm = try await RealmStore(sql).find(realmName)!
                return try await provisioner.rotateKeys(realm: realm, algorithm: .es256, on: sql)
            }
            app.services.realms.invalidate(app.realm)
            let after = try await app.serviceToken(client)
            let header = JWTParts.decode(after).header
            #expect(header["alg"] as? String == "ES256")
            #expect(header["kid"] as? String != oldKid)
            let certs = try await client.execute(uri: "/realms/\(app.realm)/protocol/openid-connect/certs", method: .get).object
            let keys = certs["keys"] as? [[String: Any]] ?? []
            #expect(Set(keys.compactMap { $0["kty"] as? String }) == ["RSA", "EC"])
            #expect(keys.first { $0["kty"] as? String == "EC" }?["crv"] as? String == "P-256")
            for token in [before, after] {
                let response = try await client.execute(uri: "/api/user/me", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(response.status == .ok)
            }
            app.clock.advance(700)
            app.services.realms.invalidate(app.realm)
            let refreshed = try await client.execute(uri: "/realms/\(app.realm)/protocol/openid-connect/certs", method: .get).object
            #expect((refreshed["keys"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("no client secret, password or private key is stored in clear")
    func secretsAtRest() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            _ = try await SessionTests.createAlice(app, client)
            let token = try await app.serviceToken(client)
            let database = try Data(contentsOf: URL(fileURLWithPath: app.directory + "/nexusone.sqlite"))
            let wal = (try? Data(contentsOf: URL(fileURLWithPath: app.directory + "/nexusone.sqlite-wal"))) ?? Data()
            for secret in [app.clientSecret, "wonderland-42", TestApp.adminPassword, token, "BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY"] {
                #expect(database.range(of: Data(secret.utf8)) == nil, "\(secret.prefix(12))… in the database file")
                #expect(wal.range(of: Data(secret.utf8)) == nil, "\(secret.prefix(12))… in the WAL")
            }
        }
    }
}
