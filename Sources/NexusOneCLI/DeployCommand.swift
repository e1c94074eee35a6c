import ArgumentParser
import Domain
import Federation
import Foundation
import Server
import UseCases

/// `nexusone deploy`: what the NexusOne deployment script does, idempotently.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Create a customer realm, its API client with a service account, and its first administrator.",
        discussion: """
            Example: nexusone deploy --client-name companyA --client-id myID --output json
            Into an existing Keycloak: nexusone deploy --client-name companyA --keycloak-url https://kc.example.com \
            --keycloak-admin-user admin (password from NEXUSONE_KEYCLOAK_ADMIN_PASSWORD), then serve with the printed --external-issuer.
            """)

    @OptionGroup var storage: StorageOptions

    @Option(help: "The customer's client name; it becomes the realm name.")
    var clientName: String

    @Option(help: "Client ID (generated when absent).")
    var clientId: String?

    @Option(help: "Client secret (32 random alphanumerics when absent; NEXUSONE_CLIENT_SECRET keeps it out of the process list).")
    var clientSecret: String?

    @Option(help: "Username of the realm's first administrator.")
    var adminUser = "admin"

    @Option(help: "Token signing algorithm of a new realm: RS256 or ES256.")
    var algorithm = "RS256"

    @Flag(help: "Generate and print a new client secret for an existing client.")
    var rotateSecret = false

    @Option(help: "text or json")
    var output: OutputFormat = .text

    @Option(help: "Deploy into this Keycloak (20–26) through its admin REST instead of this server's own realm server.")
    var keycloakURL: String?

    @Option(help: "Keycloak administrator (with --keycloak-url).")
    var keycloakAdminUser = "admin"

    @Option(help: "Keycloak administrator's password (NEXUSONE_KEYCLOAK_ADMIN_PASSWORD keeps it out of the process list).")
    var keycloakAdminPassword: String?

    @Option(help: "The realm the Keycloak administrator signs in to.")
    var keycloakAdminRealm = "master"

    static var environmentSecret: String? { ProcessInfo.processInfo.environment["NEXUSONE_CLIENT_SECRET"].flatMap { $0.isEmpty ? nil : $0 } }

    func run() async throws {
        let configuration = try storage.configuration()
        if let keycloakURL { return try await deployIntoKeycloak(keycloakURL, configuration: configuration) }
        guard let algorithm = SigningAlgorithm(rawValue: algorithm.uppercased()) else { throw ValidationError("--algorithm must be RS256 or ES256") }
        let request = DeploymentRequest(
            clientName: clientName, clientId: clientId, clientSecret: clientSecret ?? Self.environmentSecret, adminUser: adminUser, rotateSecret: rotateSecret,
            algorithm: algorithm)
        let finalConfiguration = configuration
        let result = try await CommandRunner.withServices(configuration) { services in
            _ = try await services.masterSetup.ensure(database: services.database, configuredPassword: finalConfiguration.adminPassword)
            return try await CLIErrors.readable { try await services.deploy(.operatorCLI(realm: request.clientName), request) }
        }
        switch output {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var object = try JSONSerialization.jsonObject(with: encoder.encode(result)) as? [String: Any] ?? [:]
            object["token_url"] = "\(configuration.resolvedPublicURL)/realms/\(result.realm)/protocol/openid-connect/token"
            object["portal_url"] = "\(configuration.resolvedPublicURL)/"
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        case .text:
            print(DeploymentText.lines(result, baseURL: configuration.resolvedPublicURL).joined(separator: "\n"))
        }
    }

    /// The same deployment inside an existing Keycloak; this server keeps the deployment PSK and, once started with
    /// the printed `--external-issuer`, accepts that realm's Keycloak tokens.
    private func deployIntoKeycloak(_ url: String, configuration: Configuration) async throws {
        guard Names.isValidRealm(clientName), clientName != Realm.master else {
            throw ValidationError("--client-name must be 1-64 letters, digits, '-' or '_' (and not 'master')")
        }
        let password = keycloakAdminPassword ?? ProcessInfo.processInfo.environment["NEXUSONE_KEYCLOAK_ADMIN_PASSWORD"]
        guard let password, !password.isEmpty else { throw ValidationError("give --keycloak-admin-password or NEXUSONE_KEYCLOAK_ADMIN_PASSWORD") }
        let clientId = try await CLIErrors.readable { try Identifier(self.clientId ?? "\(clientName.lowercased())-nexusone", field: "client_id").value }
        let secret = try await CLIErrors.readable { try (clientSecret ?? Self.environmentSecret).map { try ClientSecret($0, field: "client_secret") } ?? .generated() }
        let admin: KeycloakAdminClient
        let remote: KeycloakDeployment.Result
        do {
            admin = try await KeycloakAdminClient.signIn(baseURL: url, username: keycloakAdminUser, password: password, adminRealm: keycloakAdminRealm)
            remote = try await KeycloakDeployment(admin: admin)(
                .init(
                    realm: clientName, clientId: clientId, clientSecret: secret.value, rotateSecret: rotateSecret, adminUser: adminUser.lowercased(),
                    adminPassword: SecretGenerator.alphanumeric(16),
                    portalRedirectURI: PortalClient.redirectURI(publicURL: configuration.resolvedPublicURL, realm: clientName)))
        } catch let failure as KeycloakAdminClient.Failure {
            throw ValidationError(failure.description)
        }
        let (realm, accountId) = (clientName, remote.serviceAccountUserId)
        let psk = try await CommandRunner.withServices(configuration) { services in
            try await CLIErrors.readable {
                try await RecordExternalDeployment(changes: services.changes, provisioner: services.provisioner, clock: services.clock)(
                    .operatorCLI(realm: realm), realm: realm, clientId: clientId, serviceAccountId: accountId)
            }
        }
        let result = DeploymentResult(
            realm: clientName, clientId: clientId, clientSecret: remote.clientSecret, psk: psk, adminUsername: adminUser.lowercased(),
            adminPassword: remote.adminPassword, createdRealm: remote.createdRealm, externalIssuer: remote.issuer)
        try show(result, keycloak: admin.baseURL, configuration: configuration)
    }

    private func show(_ result: DeploymentResult, keycloak: String, configuration: Configuration) throws {
        switch output {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var object = try JSONSerialization.jsonObject(with: encoder.encode(result)) as? [String: Any] ?? [:]
            object["token_url"] = "\(keycloak)/realms/\(result.realm)/protocol/openid-connect/token"
            object["portal_url"] = "\(configuration.resolvedPublicURL)/"
            Swift.print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        case .text:
            var lines = DeploymentText.lines(result, baseURL: keycloak)
            if let psk = result.psk, let index = lines.firstIndex(where: { $0.contains(psk) && $0.contains("curl") }) {
                lines[index] = "  curl -s \(configuration.resolvedPublicURL)/api/user/me -H \"Authorization-PSK: \(psk)\""
            }
            lines += ["", "Serve this realm's API with Keycloak's tokens:", "  nexusone serve --external-issuer \(result.externalIssuer ?? "")"]
            Swift.print(lines.joined(separator: "\n"))
        }
    }
}
