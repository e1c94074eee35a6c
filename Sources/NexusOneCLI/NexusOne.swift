import ArgumentParser
import Server

/// `nexusone`: the server and the operator commands around it.
@main
struct NexusOne: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexusone",
        abstract: "NexusOne API access layer: Keycloak-compatible realm server, API keys and the NexusOne API.",
        version: NexusOneVersion.current,
        subcommands: [ServeCommand.self, DeployCommand.self, PSKCommand.self, KeysCommand.self, DomainCommand.self, RealmCommand.self, WarehouseCommand.self, MigrateCommand.self, BackupCommand.self, RestoreCommand.self, DevCertCommand.self],
        defaultSubcommand: ServeCommand.self)
}
