import ArgumentParser
import Domain
import Server
import UseCases

/// `nexusone keys rotate`: a new active signing key; the old one keeps verifying until its tokens expire.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage realm signing keys.", subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new signing key active for a realm.",
            discussion: "Example: nexusone keys rotate --realm companyA --algorithm ES256")

        @OptionGroup var storage: StorageOptions

        @Option(help: "The realm whose key to rotate.")
        var realm: String

        @Option(help: "RS256 or ES256 (default: the realm's current algorithm).")
        var algorithm: String?

        @Option(help: "text or json")
        var output: OutputFormat = .text

        func run() async throws {
            let configuration = try storage.configuration()
            let algorithm = try self.algorithm.map { value in
                guard let algorithm = SigningAlgorithm(rawValue: value.uppercased()) else { throw ValidationError("--algorithm must be RS256 or ES256") }
                return algorithm
            }
            let realmName = realm
            let key = try await CommandRunner.withServices(configuration) { services in
                do {
                    return try await RotateSigningKeys(changes: services.changes, provisioner: services.provisioner)(
                        .operatorCLI(realm: realmName), realm: realmName, algorithm: algorithm)
                } catch AdministrationError.notFound {
                    throw ValidationError("no realm named '\(realmName)'")
                }
            }
            switch output {
            case .json: print(#"{"realm":"\#(realmName)","kid":"\#(key.kid)","algorithm":"\#(key.algorithm.rawValue)"}"#)
            case .text: print("Realm \(realmName): new active \(key.algorithm.rawValue) key \(key.kid); running servers use it within 30 seconds.")
            }
        }
    }
}
