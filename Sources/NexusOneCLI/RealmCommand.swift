import ArgumentParser
import Domain
import Foundation
import Server
import UseCases

/// `nexusone realm import|export|warehouse`: move a realm in from Keycloak, or out in Keycloak's format; choose its warehouse.
struct RealmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "realm", abstract: "Import a realm from a Keycloak export, export one in Keycloak's format, or give one its own warehouse.",
        subcommands: [Import.self, Export.self, RealmWarehouseCommand.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import a Keycloak realm export (kc.sh export, or the admin console's partial export).",
            discussion: """
                Realm settings, roles, clients with their secrets, users with their attributes, role mappings and password \
                hashes (PBKDF2; Argon2 when libargon2 is installed). Running it again changes nothing. A file holding a list of \
                realms imports each in turn.
                Example: nexusone realm import companyA-realm.json --dry-run
                """)
        @OptionGroup var storage: StorageOptions
        @Argument(help: "The export file (JSON).") var file: String
        @Flag(help: "Report what would change, and change nothing.") var dryRun = false
        @Option(help: "text or json.") var output: OutputFormat = .text

        func run() async throws {
            let documents = try RealmFile.read(file)
            let (configuration, dryRun) = (try storage.configuration(), dryRun)
            let reports = try await CommandRunner.withServices(configuration) { services in
                if !dryRun { _ = try await services.masterSetup.ensure(database: services.database, configuredPassword: configuration.adminPassword) }
                let importRealm = ImportRealm(changes: services.changes, provisioner: services.provisioner, secrets: services.secrets, clock: services.clock)
                var reports: [RealmImportReport] = []
                for document in documents {
                    reports.append(try await CLIErrors.readable { try await importRealm(.operatorCLI(realm: document.realm), document, dryRun: dryRun) })
                }
                return reports
            }
            switch output {
            case .json: print(try RealmFile.json(reports.count == 1 ? AnyEncodable(reports[0]) : AnyEncodable(reports)))
            case .text: print(reports.map(RealmImportText.lines).joined(separator: "\n\n"))
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Export a realm in Keycloak's format.",
            discussion: """
                Password hashes are included, as kc.sh export includes them; client secrets are masked unless \
                --include-secrets. The file is written readable by its owner only.
                Example: nexusone realm export --realm companyA --output companyA-realm.json
                """)
        @OptionGroup var storage: StorageOptions
        @Option(help: "The realm to export.") var realm: String
        @Option(help: "Where to write (standard output when absent).") var output: String?
        @Flag(help: "Write client secrets in clear.") var includeSecrets = false

        func run() async throws {
            let (realm, includeSecrets) = (realm, includeSecrets)
            let document = try await CommandRunner.withServices(try storage.configuration()) { services in
                try await CLIErrors.readable {
                    try await ExportRealm(changes: services.changes, secrets: services.secrets)(.operatorCLI(realm: realm), realm: realm, includeSecrets: includeSecrets)
                }
            }
            let text = try RealmFile.json(document)
            guard let output else { return print(text) }
            try RealmFile.writePrivately(text + "\n", to: output)
        }
    }
}

/// Reading and writing realm files.
enum RealmFile {
    static func read(_ path: String) throws -> [KeycloakRealmDocument] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        let decoder = JSONDecoder()
        do {
            if data.first(where: { !$0.isWhitespace }) == UInt8(ascii: "[") { return try decoder.decode([KeycloakRealmDocument].self, from: data) }
            return [try decoder.decode(KeycloakRealmDocument.self, from: data)]
        } catch let error as DecodingError {
            throw ValidationError("\(path) is not a Keycloak realm export: \(error.readable)")
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            // Foundation's error quotes the whole value — here password hashes and client secrets: never print it.
            throw CommandFailure("the realm could not be written as JSON (nested too deep?)")
        }
    }

    /// Writes a new file of mode 0600 beside `path` (never following a link, never reusing a file) and renames it into
    /// place: the export holds password hashes, and no one else may read it, even for a moment.
    static func writePrivately(_ text: String, to path: String) throws {
        let temporary = "\(path).\(UInt32.random(in: 0 ... .max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
        do {
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
            guard rename(temporary, path) == 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}

/// An import report in lines an operator reads.
enum RealmImportText {
    static func lines(_ report: RealmImportReport) -> String {
        func counts(_ name: String, _ counts: RealmImportReport.Counts) -> String {
            "\(name): \(counts.created) created, \(counts.updated) updated, \(counts.unchanged) unchanged"
        }
        var lines = [
            "Realm \(report.realm)\(report.dryRun ? " (dry run: nothing was changed)" : ""): "
                + (report.realmCreated ? "created" : report.realmUpdated ? "settings updated" : "settings unchanged"),
            counts("Roles", report.roles), counts("Clients", report.clients), counts("Groups", report.groups), counts("Users", report.users),
            "Composite roles added: \(report.compositesAdded)", "Passwords imported: \(report.passwordsImported)",
        ]
        if !report.passwordResetsRequired.isEmpty {
            lines.append(
                "Passwords that need a reset (Argon2 without libargon2): \(report.passwordResetsRequired.count): "
                    + report.passwordResetsRequired.joined(separator: ", "))
        }
        if !report.generatedSecrets.isEmpty {
            lines.append("New client secrets (the file had none; shown once):")
            lines += report.generatedSecrets.map { "  \($0.clientId): \($0.secret ?? "generated on import")" }
        }
        lines += report.notes.map { "Note: \($0)" }
        // Names come from the file: control characters are shown as escapes, never sent to the terminal.
        return lines.joined(separator: "\n").unicodeScalars.map { scalar in
            scalar == "\n" || !scalar.properties.generalCategory.isControlOrFormat ? String(scalar) : scalar.escaped(asASCII: true)
        }.joined()
    }
}

private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

extension UInt8 {
    fileprivate var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}

extension DecodingError {
    /// Where the file broke the format, without dumping it.
    fileprivate var readable: String {
        switch self {
        case .keyNotFound(let key, let context): "missing \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): "unexpected value at \(path(context.codingPath))"
        case .dataCorrupted(let context): context.codingPath.isEmpty ? "not JSON" : "unreadable value at \(path(context.codingPath))"
        @unknown default: "unreadable"
        }
    }

    private func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}

extension Unicode.GeneralCategory {
    var isControlOrFormat: Bool { self == .control || self == .format }
}
