import DatabaseFixtures
import Domain
import Federation
import Foundation
import Storage
import Testing
import Tokens
import UseCases

@Suite("External issuers")
struct FederationTests {
    @Test("--external-issuer: a Keycloak issuer names its realm, NAME=URL names it for other providers, anything else is refused")
    func parsing() throws {
        let keycloak = try ExternalIssuer(parsing: "https://kc.example.com/realms/companyA/")
        #expect(keycloak == ExternalIssuer(realm: "companyA", url: "https://kc.example.com/realms/companyA"))
        let other = try ExternalIssuer(parsing: "acme=https://login.example.com/oidc")
        #expect(other == ExternalIssuer(realm: "acme", url: "https://login.example.com/oidc"))
        #expect(try ExternalIssuer.list(" https://a.example/realms/x , y=http://b.example ,").map(\.realm) == ["x", "y"])
        #expect(throws: ExternalIssuerError.self, "one issuer per realm") {
            try ExternalIssuers([keycloak, ExternalIssuer(realm: "companyA", url: "https://other.example")])
        }
        for bad in [
            "https://login.example.com/oidc", "ftp://kc.example.com/realms/a", "bad name=https://x.example", "https://x/realms/a b",
            "https://kc.example.com/realms/master",
        ] {
            #expect(throws: ExternalIssuerError.self, "\(bad)") { try ExternalIssuer(parsing: bad) }
        }
    }

    @Test("a JWKS gives its signing keys only: encryption keys and algorithms we do not verify are left out")
    func signingKeysOnly() async throws {
        let key = try KeyMaterial.generate(.rs256)
        let ring = try await RealmKeyRing(realm: "r", keys: [key, try KeyMaterial.generate(KeyMaterial.refreshAlgorithm)])
        var jwk = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(ring.jwks.keys[0])) as? [String: Any])
        var encryption = jwk
        encryption["kid"] = "enc-key"
        encryption["use"] = "enc"
        encryption["alg"] = "RSA-OAEP"
        var hmac = jwk
        hmac["kid"] = "hmac"
        hmac["alg"] = "HS256"
        jwk["alg"] = nil
        let data = try JSONSerialization.data(withJSONObject: ["keys": [jwk, encryption, hmac]])
        let (_, kids) = try await ExternalIssuerKeys.keys(from: data)
        #expect(kids == [key.kid: .algorithm("RS256")], "a key without alg is RS256 from here on")
        await #expect(throws: (any Error).self) { _ = try await ExternalIssuerKeys.keys(from: Data(#"{"keys":[]}"#.utf8)) }
    }

    @Test("a federated user is recorded at their first token, and their realm roles follow their tokens", arguments: TestDatabases.kinds)
    func recordsUsers(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, _ in
            let record = RecordFederatedUser(changes: app.services.changes, clock: app.services.clock)
            let id = Identifiers.uuid()
            var user = FederatedUser(
                realm: app.realm, id: id, username: "fay", email: "fay@example.com", firstName: "Fay", roles: ["nx1_ask", "nx1_engineer", "unknown_role"])
            #expect(try await record(user))
            func state() async throws -> (User?, Set<String>) {
                try await app.services.database.read { sql in
                    (try await UserStore(sql).find(realm: app.realm, id: id), Set(try await RoleStore(sql).direct(userId: id).map(\.name)))
                }
            }
            var (stored, roles) = try await state()
            #expect(stored?.username == "fay" && stored?.email == "fay@example.com" && stored?.firstName == "Fay")
            #expect(roles == ["nx1_ask", "nx1_engineer"], "roles that do not exist here are not made up")

            user.roles = ["nx1_ask"]
            user.email = "fay@new.example.com"
            #expect(try await record(user))
            (stored, roles) = try await state()
            #expect(roles == ["nx1_ask"] && stored?.email == "fay@new.example.com")

            await #expect(throws: ValueError.self) {
                _ = try await record(FederatedUser(realm: app.realm, id: "has space", username: "x", roles: []))
            }
            // A sub that is a user of another realm (the master administrator) is refused, never taken over; so is a
            // username another user of this realm has.
            let masterAdmin = try #require(try await app.services.database.read { sql in try await UserStore(sql).find(realm: "master", username: "admin") })
            await #expect(throws: AdministrationError.self) {
                _ = try await record(FederatedUser(realm: app.realm, id: masterAdmin.id, username: "admin", roles: ["nx1_admin"]))
            }
            await #expect(throws: AdministrationError.self) {
                _ = try await record(FederatedUser(realm: app.realm, id: Identifiers.uuid(), username: "fay", roles: []))
            }
            let rolesOfMasterAdmin = try await app.services.database.read { sql in try await RoleStore(sql).direct(userId: masterAdmin.id).map(\.name) }
            #expect(!rolesOfMasterAdmin.contains("nx1_admin"))
        }
    }
}
