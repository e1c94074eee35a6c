import ArgumentParser
import Domain
import Foundation
import Server
import UseCases

/// `nexusone psk …`: operators manage keys without the API, as the operator (`operatorCLI`) acting for the named user.
/// A running SQLite server sees the change within its cache time (30 s); PostgreSQL nodes hear it at once.
struct PSKCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "psk", abstract: "Create, list, regenerate, delete and revoke pre-shared keys.",
        subcommands: [Create.self, List.self, Regenerate.self, Delete.self, Revoke.self])

    /// The realm and user a key command acts for.
    struct Owner: ParsableArguments {
        @OptionGroup var storage: StorageOptions

        @Option(help: "The realm.")
        var realm: String

        @Option(help: "The user whose Personal PSK this is.")
        var user: String

        /// The operator of this realm, and the id of the user the key belongs to.
        func resolve(_ services: Services) async throws -> (actor: Principal, userId: String) {
            let actor = Principal.operatorCLI(realm: realm)
            guard let owner = try await services.administration.users.find(actor, realm: realm, username: user) else { throw ValidationError("no user '\(user)' in realm '\(realm)'") }
            return (actor, owner.id)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user's Personal PSK (printed once).", discussion: "Example: nexusone psk create --realm companyA --user alice")
        @OptionGroup var owner: Owner
        @Option(help: "What the key is for.") var description = ""
        @Option(help: "Days until the key expires.") var expiresInDays: Int?

        func run() async throws {
            let (owner, description, days) = (owner, description, expiresInDays)
            let secret = try await CommandRunner.withServices(try owner.storage.configuration()) { services in
                try await CLIErrors.readable {
                    let (actor, userId) = try await owner.resolve(services)
                    return try await CreatePersonalKey(changes: services.changes, clock: services.clock)(
                        actor, owner: userId, description: try DescriptionText(description),
                        expiresIn: try days.map { days in try ValidityDays(days, field: "expires_in_days") }, address: "cli"
                    ).secret
                }
            }
            print(secret)
        }
    }

    struct Regenerate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a user's Personal PSK a new secret (printed once).",
            discussion: "Example: nexusone psk regenerate --realm companyA --user alice --grace-seconds 3600")
        @OptionGroup var owner: Owner
        @Option(help: "Seconds the old secret keeps working (at most 604800).") var graceSeconds = 0

        func run() async throws {
            let (owner, grace) = (owner, graceSeconds)
            let secret = try await CommandRunner.withServices(try owner.storage.configuration()) { services in
                try await CLIErrors.readable {
                    let (actor, userId) = try await owner.resolve(services)
                    return try await RegeneratePersonalKey(changes: services.changes, clock: services.clock)(
                        actor, owner: userId, grace: try GraceSeconds(grace), address: "cli"
                    ).secret
                }
            }
            print(secret)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a user's Personal PSK.", discussion: "Example: nexusone psk delete --realm companyA --user alice")
        @OptionGroup var owner: Owner

        func run() async throws {
            let owner = self.owner
            try await CommandRunner.withServices(try owner.storage.configuration()) { services in
                try await CLIErrors.readable {
                    let (actor, userId) = try await owner.resolve(services)
                    try await DeletePersonalKey(changes: services.changes, clock: services.clock)(actor, owner: userId, address: "cli")
                }
            }
            print("Deleted.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a realm's keys (hints only, never secrets).", discussion: "Example: nexusone psk list --realm companyA --output json")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The realm.") var realm: String
        @Option(help: "text or json") var output: OutputFormat = .text

        func run() async throws {
            let realm = self.realm
            let keys = try await CommandRunner.withServices(try storage.configuration()) { services in
                try await services.keys.all(.operatorCLI(realm: realm), realm: realm)
            }
            switch output {
            case .json:
                let rows = keys.map { ["id": $0.key.id, "kind": $0.key.kind.rawValue, "username": $0.username, "hint": $0.key.hint,
                                       "active": $0.key.isActive ? "true" : "false", "description": $0.key.description] }
                print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
            case .text:
                for entry in keys {
                    print("\(entry.key.id)  \(entry.key.kind.rawValue)  \(entry.username)  \(entry.key.hint)  \(entry.key.isActive ? "active" : "revoked")  \(entry.key.description)")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke any key of a realm by id.", discussion: "Example: nexusone psk revoke --realm companyA --id 0b6f…")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The realm.") var realm: String
        @Option(help: "The key's id (see psk list).") var id: String

        func run() async throws {
            let (realm, id) = (self.realm, self.id)
            try await CommandRunner.withServices(try storage.configuration()) { services in
                try await CLIErrors.readable {
                    try await RevokeKey(changes: services.changes, clock: services.clock)(.operatorCLI(realm: realm), realm: realm, keyId: id, address: "cli")
                }
            }
            print("Revoked.")
        }
    }
}
