import ArgumentParser
import Domain
import Foundation
import Server
import UseCases

/// `nexusone domain …`: the operator groups warehouse tables into domains without the API (`operatorCLI`).
struct DomainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domain", abstract: "List, create, update and delete domains (groups of warehouse tables).",
        subcommands: [List.self, Create.self, Update.self, Delete.self])

    struct Scope: ParsableArguments {
        @OptionGroup var storage: StorageOptions
        @Option(help: "The realm.") var realm: String
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a realm's domains.", discussion: "Example: nexusone domain list --realm companyA")
        @OptionGroup var scope: Scope
        @Option(help: "text or json.") var output: OutputFormat = .text

        func run() async throws {
            let realm = scope.realm
            let domains = try await CommandRunner.withServices(try scope.storage.configuration()) { services in
                try await services.catalog.domains(realm: realm)
            }
            if output == .json {
                let rows = domains.map { ["name": $0.name, "urn": $0.urn, "description": $0.description, "tables": $0.tables.joined(separator: ",")] }
                print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
            } else {
                for domain in domains { print("\(domain.urn)\t\(domain.tables.joined(separator: ","))\t\(domain.description)") }
            }
        }
    }

    /// What `create` and `update` say of a domain: its name, its tables (the list replaces an existing one), what it
    /// holds.
    struct Definition: ParsableArguments {
        @Argument(help: "The domain's name (a-z, 0-9, _).") var name: String
        @Option(name: .customLong("table"), help: "A warehouse table (repeat for more; on update the list replaces the old one).")
        var tables: [String] = []
        @Option(help: "What the domain holds.") var description = ""

        /// Checks the definition, runs `write` (create or update) as the operator, and prints the domain's URN.
        func save(
            in scope: Scope, _ write: @escaping @Sendable (Services, Principal, String, DescriptionText, DomainTables) async throws -> DataDomain
        ) async throws {
            let (actor, name, description, tables) = (Principal.operatorCLI(realm: scope.realm), name, description, tables)
            let domain = try await CommandRunner.withServices(try scope.storage.configuration()) { services in
                try await CLIErrors.readable { try await write(services, actor, name, try DescriptionText(description), try DomainTables(tables)) }
            }
            print(domain.urn)
        }

        func validate() throws {
            guard !tables.isEmpty else { throw ValidationError("give at least one --table") }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a domain over warehouse tables.",
            discussion: "Example: nexusone domain create finance --realm companyA --table invoices --table payments --description 'Billing'")
        @OptionGroup var scope: Scope
        @OptionGroup var definition: Definition

        func run() async throws {
            try await definition.save(in: scope) { services, actor, name, description, tables in
                try await CreateDomain(catalog: services.catalog)(actor, name: try ResourceName(name), description: description, tables: tables)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a domain's tables and description.",
            discussion: "Example: nexusone domain update finance --realm companyA --table invoices --description 'Billing'")
        @OptionGroup var scope: Scope
        @OptionGroup var definition: Definition

        func run() async throws {
            try await definition.save(in: scope) { services, actor, name, description, tables in
                try await UpdateDomain(catalog: services.catalog)(actor, name: name, description: description, tables: tables)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a domain.", discussion: "Example: nexusone domain delete finance --realm companyA")
        @OptionGroup var scope: Scope
        @Argument(help: "The domain's name.") var name: String

        func run() async throws {
            let (realm, name) = (scope.realm, name)
            try await CommandRunner.withServices(try scope.storage.configuration()) { services in
                try await CLIErrors.readable { try await DeleteDomain(catalog: services.catalog)(.operatorCLI(realm: realm), name: name) }
            }
        }
    }
}
