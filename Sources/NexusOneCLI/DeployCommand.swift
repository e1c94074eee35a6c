import ArgumentParser
import Domain
import Foundation
import Server
import UseCases

/// `nexusone deploy`: what the NexusOne deployment script does, idempotently.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Create a customer realm, its API client with a service account, and its first administrator.",
        discussion: "Example: nexusone deploy --client-name companyA --client-id myID --output json")

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

    static var environmentSecret: String? { ProcessInfo.processInfo.environment["NEXUSONE_CLIENT_SECRET"].flatMap { $0.isEmpty ? nil : $0 } }

    func run() async throws {
        let configuration = try storage.configuration()
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
}
