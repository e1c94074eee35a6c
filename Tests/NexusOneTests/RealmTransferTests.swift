import DatabaseFixtures
import Domain
import Foundation
import Secrets
import Storage
import Testing
import UseCases

/// `nexusone realm import|export`: Keycloak's export format in and out, passwords as Keycloak hashed them.
@Suite("Realm import and export")
struct RealmTransferTests {
    // PBKDF2 vectors of "password" with salt "salt" and 4096 iterations (RFC 6070 for SHA-1; the same inputs for SHA-256
    // and SHA-512), as Keycloak's secretData would hold them.
    static let pbkdf2Vectors: [(algorithm: String, hex: String)] = [
        ("pbkdf2", "4b007901b765489abead49d926f721d065a429c1"),
        ("pbkdf2-sha256", "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
        (
            "pbkdf2-sha512",
            "d197b1b33db0143e018b12f3d1d1479e6cdebdcc97c5c0f87f6902e072f457b5143f30602641b3d55cd335988cb36b84376060ecd532e039b742a239434af2d5"
        ),
    ]
    static let salt = Data("salt".utf8).base64EncodedString()

    static func base64(hex: String) -> String {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return Data(bytes).base64EncodedString()
    }

    @Test("PBKDF2 hashes as Keycloak stores them verify the right password only, and are marked for rehashing")
    func pbkdf2() async throws {
        let hasher = PasswordHasher(cost: 4)
        for vector in Self.pbkdf2Vectors {
            let imported = KeycloakPasswordHash.importing(
                algorithm: vector.algorithm, iterations: 4096, salt: Self.salt, value: Self.base64(hex: vector.hex), parameters: [:])
            guard case .stored(let hash) = imported else {
                Issue.record("\(vector.algorithm) not imported: \(imported)")
                continue
            }
            #expect(try await hasher.verify("password", hash: hash), "\(vector.algorithm)")
            #expect(try await !hasher.verify("passwore", hash: hash), "\(vector.algorithm)")
            #expect(hasher.needsRehash(hash))
            #expect(PasswordHashFormat.algorithm(of: hash) == vector.algorithm)
            let exported = try #require(KeycloakPasswordHash.exporting(hash))
            #expect(exported.algorithm == vector.algorithm && exported.iterations == 4096 && exported.salt == Self.salt)
            #expect(exported.value == Self.base64(hex: vector.hex))
        }
        // 64-byte keys at Keycloak's own default of 27,500 iterations (hashlib.pbkdf2_hmac's figure for these inputs).
        let keycloakDefault = KeycloakPasswordHash.importing(
            algorithm: "pbkdf2-sha256", iterations: 27_500, salt: Self.salt,
            value: "p6XETX9kSIy9ZwWTiGafUdPW9KUJsfJSWQD9lWRuomav7bGCMfY03kxznJu2emdUprJ3DVemHMlpE5c0+dmsAA==", parameters: [:])
        guard case .stored(let hash) = keycloakDefault else { throw TestFailure("not imported") }
        #expect(try await hasher.verify("password", hash: hash))
        #expect(try await !hasher.verify("Password", hash: hash))
    }

    @Test("malformed and unknown credentials are refused by name, never stored")
    func malformed() {
        let key = Self.base64(hex: Self.pbkdf2Vectors[1].hex)
        let refusals: [(KeycloakPasswordHash.Imported, String)] = [
            (KeycloakPasswordHash.importing(algorithm: "pbkdf2-sha256", iterations: nil, salt: Self.salt, value: key, parameters: [:]), "pbkdf2-sha256"),
            (KeycloakPasswordHash.importing(algorithm: "pbkdf2-sha256", iterations: 0, salt: Self.salt, value: key, parameters: [:]), "pbkdf2-sha256"),
            (KeycloakPasswordHash.importing(algorithm: "pbkdf2", iterations: 10, salt: "not base64!", value: key, parameters: [:]), "pbkdf2"),
            (KeycloakPasswordHash.importing(algorithm: "pbkdf2-sha512", iterations: 10, salt: Self.salt, value: "AAAA", parameters: [:]), "pbkdf2-sha512"),
            (KeycloakPasswordHash.importing(algorithm: "argon2", iterations: 3, salt: Self.salt, value: key, parameters: ["type": ["x"]]), "argon2"),
            (KeycloakPasswordHash.importing(algorithm: "bcrypt", iterations: 10, salt: "", value: "$2b$10$short", parameters: [:]), "bcrypt"),
        ]
        for (result, algorithm) in refusals { #expect(result == .unsupported("malformed \(algorithm) credential")) }
        // Costs a file could use to make every sign-in attempt for a user take seconds or gigabytes: the user is
        // imported without a password and must be given one.
        let costly: [KeycloakPasswordHash.Imported] = [
            KeycloakPasswordHash.importing(algorithm: "pbkdf2-sha256", iterations: 50_000_000, salt: Self.salt, value: key, parameters: [:]),
            KeycloakPasswordHash.importing(algorithm: "pbkdf2-sha512", iterations: 210_001, salt: Self.salt, value: key, parameters: [:]),
            KeycloakPasswordHash.importing(algorithm: "argon2", iterations: 3, salt: Self.salt + Self.salt, value: key, parameters: ["memory": ["4194304"]]),
            KeycloakPasswordHash.importing(algorithm: "argon2", iterations: 1_000, salt: Self.salt + Self.salt, value: key, parameters: [:]),
            KeycloakPasswordHash.importing(algorithm: "argon2", iterations: 10, salt: Self.salt + Self.salt, value: key, parameters: ["memory": ["65536"]]),
            KeycloakPasswordHash.importing(algorithm: "bcrypt", iterations: 31, salt: "", value: "$2b$31$" + String(repeating: "a", count: 53), parameters: [:]),
            KeycloakPasswordHash.importing(algorithm: "bcrypt", iterations: 13, salt: "", value: "$2b$13$" + String(repeating: "a", count: 53), parameters: [:]),
        ]
        for result in costly {
            guard case .tooCostly = result else { Issue.record("\(result) should be too costly"); continue }
        }
        // Keycloak 24+'s own defaults are within the limits: a Keycloak export keeps its users' passwords.
        for (algorithm, iterations) in [("pbkdf2", 1_300_000), ("pbkdf2-sha256", 600_000), ("pbkdf2-sha512", 210_000)] {
            guard case .stored = KeycloakPasswordHash.importing(algorithm: algorithm, iterations: iterations, salt: Self.salt, value: key, parameters: [:])
            else { Issue.record("\(algorithm) × \(iterations) should import"); continue }
        }
        #expect(
            KeycloakPasswordHash.importing(algorithm: "md5", iterations: 1, salt: Self.salt, value: key, parameters: [:])
                == .unsupported("password hash algorithm md5"))
    }

    @Test("Argon2 hashes verify through the system's libargon2 (argon2-cffi made this one)")
    func argon2() async throws {
        #expect(SystemArgon2.isAvailable, "libargon2.so.1 is installed by scripts/test.sh")
        // $argon2id$v=19$m=7168,t=3,p=1$21qjLQ6baL7lVrxfTTQ3Gw$JQ3cWmpnf+75nQIQ4y9tl3kPAMlzazHNLbpSNh5jpSQ, in Keycloak's terms.
        let imported = KeycloakPasswordHash.importing(
            algorithm: "argon2", iterations: 3, salt: "21qjLQ6baL7lVrxfTTQ3Gw==", value: "JQ3cWmpnf+75nQIQ4y9tl3kPAMlzazHNLbpSNh5jpSQ=",
            parameters: ["type": ["id"], "version": ["1.3"], "memory": ["7168"], "parallelism": ["1"], "hashLength": ["32"]])
        guard case .stored(let hash) = imported else { throw TestFailure("argon2 not imported: \(imported)") }
        #expect(hash == "$argon2id$v=19$m=7168,t=3,p=1$21qjLQ6baL7lVrxfTTQ3Gw$JQ3cWmpnf+75nQIQ4y9tl3kPAMlzazHNLbpSNh5jpSQ")
        let hasher = PasswordHasher(cost: 4)
        #expect(try await hasher.verify("argon-pass", hash: hash))
        #expect(try await !hasher.verify("argon-pasS", hash: hash))
        let exported = try #require(KeycloakPasswordHash.exporting(hash))
        #expect(exported.salt == "21qjLQ6baL7lVrxfTTQ3Gw==" && exported.iterations == 3 && exported.parameters["memory"] == ["7168"])
    }

    static func keycloakExport(realm: String) -> KeycloakRealmDocument {
        var document = KeycloakRealmDocument(realm: realm)
        document.accessTokenLifespan = 900
        document.roles = .init(
            realm: [
                .init(name: "analyst", description: "Analysts", composite: true, composites: .init(realm: ["nx1_ask"], client: ["reports": ["viewer"]])),
                .init(name: "bad name", description: "spaces are not allowed"),
                // A Keycloak realm that NexusOne's deployment script set up holds its roles; this server's import adds none.
                .init(name: "nx1_ask"), .init(name: NexusOneRoles.engineer),
            ],
            client: ["reports": [.init(name: "viewer", description: "Sees reports")], "account": [.init(name: "manage-account")]])
        var reports = KeycloakRealmDocument.Client(clientId: "reports")
        reports.secret = "secret-from-keycloak-0123"
        reports.serviceAccountsEnabled = true
        reports.redirectUris = ["http://localhost:3000/*"]
        reports.rootUrl = "http://localhost:3000"
        reports.redirectUris = ["/*", "https://reports.example.com/callback"]
        var spa = KeycloakRealmDocument.Client(clientId: "spa")
        spa.publicClient = true
        spa.redirectUris = ["/*"]
        var masked = KeycloakRealmDocument.Client(clientId: "masked")
        masked.secret = KeycloakRealmDocument.maskedSecret
        document.clients = [reports, spa, masked, .init(clientId: "account")]

        var alice = KeycloakRealmDocument.User(username: "Alice")
        alice.id = "5a5a5a5a-0000-4000-8000-000000000001"
        alice.email = "alice@example.com"
        alice.createdTimestamp = 1_700_000_000_000
        alice.attributes = ["team": ["data"]]
        alice.realmRoles = [NexusOneRoles.defaultComposite(realm: realm), "analyst"]
        var password = KeycloakRealmDocument.Credential()
        password.type = "password"
        password.secretData = #"{"value":"\#(base64(hex: pbkdf2Vectors[1].hex))","salt":"\#(salt)","additionalParameters":{}}"#
        password.credentialData = #"{"hashIterations":4096,"algorithm":"pbkdf2-sha256","additionalParameters":{}}"#
        var otp = KeycloakRealmDocument.Credential()
        otp.type = "otp"
        alice.credentials = [password, otp]
        var account = KeycloakRealmDocument.User(username: "service-account-reports")
        account.serviceAccountClientId = "reports"
        account.realmRoles = ["nx1_ask"]
        account.clientRoles = ["reports": ["viewer"]]
        alice.groups = ["/org/engineers", "/org/missing"]
        var org = KeycloakRealmDocument.Group(name: "org")
        org.realmRoles = [NexusOneRoles.engineer]
        var engineers = KeycloakRealmDocument.Group(name: "engineers")
        engineers.id = "6b6b6b6b-0000-4000-8000-000000000001"
        engineers.attributes = ["cost-centre": ["42"]]
        engineers.clientRoles = ["reports": ["viewer"]]
        org.subGroups = [engineers, .init(name: "bad/name")]
        document.groups = [org]
        document.users = [alice, account]
        return document
    }

    static func importer(_ app: TestApp) -> ImportRealm {
        ImportRealm(changes: app.services.changes, provisioner: app.services.provisioner, secrets: app.services.secrets, clock: app.services.clock)
    }

    @Test("an import brings users who sign in with their Keycloak passwords, clients with their secrets; a re-import changes nothing",
        arguments: TestDatabases.kinds)
    func importSignIn(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let importRealm = Self.importer(app)
            let document = Self.keycloakExport(realm: "acme")

            let dryRun = try await importRealm(.operatorCLI(realm: "acme"), document, dryRun: true)
            #expect(dryRun.realmCreated && dryRun.users.created == 1 && dryRun.passwordsImported == 1)
            #expect(dryRun.generatedSecrets == [.init(clientId: "masked", secret: nil)])
            #expect(try await app.services.database.read { sql in try await RealmStore(sql).find("acme") } == nil, "a dry run changes nothing")

            let report = try await importRealm(.operatorCLI(realm: "acme"), document, dryRun: false)
            #expect(report.realmCreated && report.clients.created == 3 && report.users.created == 1 && report.passwordsImported == 1)
            #expect(report.compositesAdded == 2)
            #expect(report.notes.contains { $0.contains("bad name") } && report.notes.contains { $0.contains("OTP") })
            let generated = try #require(report.generatedSecrets.first?.secret)
            let clients = try await app.services.database.read { sql in try await ClientStore(sql).all(realm: "acme") }
            #expect(clients.first { $0.clientId == "reports" }?.redirectURIs == ["http://localhost:3000/*", "https://reports.example.com/callback"])
            #expect(clients.first { $0.clientId == "spa" }?.redirectURIs == [], "a relative URI without a root URL is left out")
            #expect(report.notes.contains { $0.contains("Redirect URI /* of spa") })
            #expect(report.groups.created == 2 && report.notes.contains { $0.contains("/org/bad/name") } && report.notes.contains { $0.contains("/org/missing") })

            let tokenPath = "/realms/acme/protocol/openid-connect/token"
            let signIn = try await client.form(
                tokenPath, [("grant_type", "password"), ("client_id", "spa"), ("username", "alice"), ("password", "password")])
            #expect(signIn.status == .ok, "\(signIn.text)")
            let claims = try AccessClaims(signIn.object["access_token"] as? String ?? "")
            #expect(claims.sub == "5a5a5a5a-0000-4000-8000-000000000001", "the user keeps Keycloak's id")
            #expect(claims.realmRoles.isSuperset(of: ["analyst", "nx1_ask", "offline_access", NexusOneRoles.engineer]), "the group's parent's role too")
            #expect(claims.clientRoles["reports"] == ["viewer"])
            #expect(claims.lifetime == 900)
            let wrong = try await client.form(tokenPath, [("grant_type", "password"), ("client_id", "spa"), ("username", "alice"), ("password", "Password")])
            #expect(wrong.status == .unauthorized)
            let stored = try await app.services.database.read { sql in try await UserStore(sql).credentials(realm: "acme", username: "alice") }
            #expect(stored?.passwordHash?.hasPrefix("$2") == true, "rehashed to bcrypt at the first sign-in")
            #expect(stored?.user.attributes == ["team": ["data"]] && stored?.user.createdAt == 1_700_000_000)

            for (clientId, secret) in [("reports", "secret-from-keycloak-0123"), ("masked", generated)] {
                let token = try await client.form(tokenPath, [("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret)])
                #expect(token.status == (clientId == "reports" ? .ok : .unauthorized), "\(clientId): \(token.text)")
            }
            let service = try await client.form(
                tokenPath, [("grant_type", "client_credentials"), ("client_id", "reports"), ("client_secret", "secret-from-keycloak-0123")])
            let serviceClaims = try AccessClaims(service.object["access_token"] as? String ?? "")
            #expect(serviceClaims.realmRoles.contains("nx1_ask") && serviceClaims.clientRoles["reports"] == ["viewer"])

            let again = try await importRealm(.operatorCLI(realm: "acme"), document, dryRun: false)
            #expect(!again.changedAnything, "\(again)")
            #expect(again.generatedSecrets.isEmpty, "an existing secret is never replaced")
            #expect(again.users.unchanged == 2 && again.clients.unchanged == 3 && again.groups.unchanged == 2)

            // A file that disables a user ends what they hold, as an administrator disabling them does.
            let token = signIn.object["access_token"] as? String ?? ""
            #expect(try await client.json("/api/user/me", method: .get, token: token).status == .ok)
            var disabled = document
            disabled.users![0].enabled = false
            _ = try await importRealm(.operatorCLI(realm: "acme"), disabled, dryRun: false)
            #expect(try await client.json("/api/user/me", method: .get, token: token).status == .unauthorized)
        }
    }

    @Test("export writes Keycloak's format; what it writes imports again, passwords and composites included", arguments: TestDatabases.kinds)
    func roundTrip(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            _ = try await Self.importer(app)(.operatorCLI(realm: "acme"), Self.keycloakExport(realm: "acme"), dryRun: false)
            let export = ExportRealm(changes: app.services.changes, secrets: app.services.secrets)
            let masked = try await export(.operatorCLI(realm: "acme"), realm: "acme", includeSecrets: false)
            #expect(masked.clients?.first { $0.clientId == "reports" }?.secret == KeycloakRealmDocument.maskedSecret)
            var document = try await export(.operatorCLI(realm: "acme"), realm: "acme", includeSecrets: true)
            #expect(document.clients?.first { $0.clientId == "reports" }?.secret == "secret-from-keycloak-0123")
            #expect(document.roles?.realm?.first { $0.name == "analyst" }?.composites == .init(realm: ["nx1_ask"], client: ["reports": ["viewer"]]))
            let alice = try #require(document.users?.first { $0.username == "alice" })
            #expect(alice.credentials?.first?.credentialData?.contains("pbkdf2-sha256") == true, "not rehashed yet: exported as Keycloak stored it")
            #expect(alice.groups == ["/org/engineers"])
            let engineers = try #require(document.groups?.first?.subGroups?.first)
            #expect(engineers.path == "/org/engineers" && engineers.attributes == ["cost-centre": ["42"]] && engineers.clientRoles == ["reports": ["viewer"]])
            #expect(document.groups?.first?.realmRoles == [NexusOneRoles.engineer])

            // Through JSON, as the CLI writes and reads it, into another realm (ids are taken, so new ones are made).
            document.realm = "copy"
            let data = try JSONEncoder().encode(document)
            let decoded = try JSONDecoder().decode(KeycloakRealmDocument.self, from: data)
            let report = try await Self.importer(app)(.operatorCLI(realm: "copy"), decoded, dryRun: false)
            #expect(report.generatedSecrets.isEmpty && report.passwordsImported == 1 && report.users.created == 1)
            let tokenPath = "/realms/copy/protocol/openid-connect/token"
            let signIn = try await client.form(tokenPath, [("grant_type", "password"), ("client_id", "spa"), ("username", "alice"), ("password", "password")])
            #expect(signIn.status == .ok, "\(signIn.text)")
            let claims = try AccessClaims(signIn.object["access_token"] as? String ?? "")
            #expect(claims.realmRoles.isSuperset(of: ["analyst", "nx1_ask", NexusOneRoles.engineer]) && claims.clientRoles["reports"] == ["viewer"])
            let service = try await client.form(
                tokenPath, [("grant_type", "client_credentials"), ("client_id", "reports"), ("client_secret", "secret-from-keycloak-0123")])
            #expect(service.status == .ok)
            // After a sign-in the hash is ours (bcrypt), and that exports and imports too.
            let rehashed = try await export(.operatorCLI(realm: "copy"), realm: "copy", includeSecrets: false)
            #expect(rehashed.users?.first { $0.username == "alice" }?.credentials?.first?.credentialData?.contains("bcrypt") == true)
        }
    }

    @Test("only the server administrator or the operator imports and exports", arguments: [DatabaseKind.sqlite])
    func authorization(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, _ in
            let tenantAdmin = Principal(subject: "u", username: "u", realm: app.realm, roles: [NexusOneRoles.admin], credential: .bearer)
            await #expect(throws: AdministrationError.self) {
                _ = try await Self.importer(app)(tenantAdmin, Self.keycloakExport(realm: app.realm), dryRun: true)
            }
            await #expect(throws: ValueError.self, "the master realm is this server's own") {
                _ = try await Self.importer(app)(.operatorCLI(realm: "master"), Self.keycloakExport(realm: "master"), dryRun: true)
            }
            await #expect(throws: AdministrationError.self) {
                _ = try await ExportRealm(changes: app.services.changes, secrets: app.services.secrets)(tenantAdmin, realm: app.realm, includeSecrets: true)
            }
        }
    }
}

/// The claims these tests read from an access token.
@Suite("Redirect URIs")
struct RedirectURITests {
    @Test("only absolute redirect URIs are allowed: a relative /* matches nothing")
    func absoluteOnly() {
        let client = Client(id: "c", realm: "r", clientId: "c", redirectURIs: ["/*", "http://localhost:3000/*", "com.example.app:/callback"], createdAt: 0)
        #expect(!client.allowsRedirect(to: "//attacker.example/cb"))
        #expect(!client.allowsRedirect(to: "/cb"))
        #expect(client.allowsRedirect(to: "http://localhost:3000/cb"))
        #expect(client.allowsRedirect(to: "com.example.app:/callback"))
        #expect(Client.hasScheme("https://x") && Client.hasScheme("com.example.app:/cb") && !Client.hasScheme("/x:y") && !Client.hasScheme("1a:b"))
    }
}

struct AccessClaims {
    let sub: String
    let realmRoles: Set<String>
    let clientRoles: [String: [String]]
    let lifetime: Int

    init(_ token: String) throws {
        let payload = JWTParts.decode(token).payload
        guard !payload.isEmpty else { throw TestFailure("not a JWT: \(token)") }
        sub = payload["sub"] as? String ?? ""
        realmRoles = Set((payload["realm_access"] as? [String: Any])?["roles"] as? [String] ?? [])
        clientRoles = ((payload["resource_access"] as? [String: Any]) ?? [:]).compactMapValues { ($0 as? [String: Any])?["roles"] as? [String] }
        lifetime = (payload["exp"] as? Int ?? 0) - (payload["iat"] as? Int ?? 0)
    }
}
