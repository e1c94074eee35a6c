import ArgumentParser
import Server

/// `nexusone warehouse load-demo`: puts the demo data set into a warehouse (the embedded one gets it on `serve`).
struct WarehouseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warehouse", abstract: "Warehouse chores.", subcommands: [LoadDemo.self, WarehouseCheckCommand.self])

    struct LoadDemo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load-demo", abstract: "Create and fill the demo tables unless they exist.",
            discussion: "Example: nexusone warehouse load-demo --warehouse-url postgres://nexusone@db/warehouse")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let loaded = try await CommandRunner.withServices(try storage.configuration()) { services in
                try await services.loadDemoData()
            }
            print(loaded ? "demo data loaded" : "demo data already present")
        }
    }
}
