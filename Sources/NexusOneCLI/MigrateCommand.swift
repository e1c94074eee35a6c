import ArgumentParser
import Server

/// `nexusone migrate`: apply schema migrations without starting the server (for multi-node PostgreSQL roll-outs).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Bring the database schema up to date.",
        discussion: "Example: nexusone migrate --database-url postgres://nexusone@db/nexusone")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let configuration = try storage.configuration()
        let version = try await CommandRunner.withServices(configuration) { services in try await services.schemaVersion() }
        print("Schema at version \(version).")
    }
}
