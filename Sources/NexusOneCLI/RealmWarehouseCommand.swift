import ArgumentParser
import Domain
import Foundation
import Server
import UseCases

/// `nexusone realm warehouse`: the warehouse a realm reads — its own, whose role reads only that tenant's tables, or
/// the server's (docs/security.md "Tenant isolation").
struct RealmWarehouseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warehouse", abstract: "Give a realm a warehouse of its own (or the server's back).",
        discussion: """
            On PostgreSQL, give each tenant realm a login role that may read only its own tables: the database then keeps \
            realms apart whatever their SQL says. The URL is checked as serve checks the server's warehouse and kept sealed.
            Example: nexusone realm warehouse --realm companyB --url postgres://companyb_reader:…@db/warehouse
            """)
    @OptionGroup var storage: StorageOptions
    @Option(help: "The realm.") var realm: String
    @Option(help: "The realm's own warehouse: postgres://… or a SQLite path.") var url: String?
    @Flag(help: "Read the server's warehouse again.") var shared = false
    @Flag(help: "Accept a PostgreSQL role that can do more than read: for a lab only.") var allowPrivilegedWarehouse = false
    @Option(help: "text or json.") var output: OutputFormat = .text

    func validate() throws {
        guard (url == nil) != !shared else { throw ValidationError("give --url or --shared") }
    }

    func run() async throws {
        var configuration = try storage.configuration()
        if allowPrivilegedWarehouse { configuration.allowPrivilegedWarehouse = true }
        let (realm, url) = (realm, url)
        let allowed = try await CommandRunner.withServices(configuration) { services in
            do {
                return try await SetRealmWarehouse(changes: services.changes, secrets: services.secrets, warehouses: services.warehouses, clock: services.clock)(
                    .operatorCLI(realm: realm), realm: realm, url: url)
            } catch let refusal as SetRealmWarehouse.Refusal {
                throw CommandFailure(refusal.description)
            }
        }
        let warehouse = url.map(Configuration.withoutPassword) ?? "shared"
        switch output {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(["realm": realm, "warehouse": warehouse]), as: UTF8.self))
        case .text:
            for power in allowed { print("warning: \(power)") }
            print(url == nil ? "\(realm) reads the server's warehouse" : "\(realm) reads its own warehouse: \(warehouse)")
        }
    }
}
