import ArgumentParser
import Foundation
import Server

/// `nexusone backup`: a consistent snapshot of the running SQLite system database; for PostgreSQL, the pg_dump way.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Snapshot the system database (SQLite; prints the pg_dump way for PostgreSQL).",
        discussion: """
            Safe while servers run. Keep the encryption key (NEXUSONE_ENCRYPTION_KEY or <data dir>/encryption.key) \
            apart from the backup: without it the client secrets and signing keys in the backup cannot be read.
            Example: nexusone backup --output /backups/nexusone-$(date +%F).sqlite
            """)

    @OptionGroup var storage: StorageOptions

    @Option(help: "The file to write (must not exist; written 0600).")
    var output: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let configuration = try storage.configuration()
        let path = try BackupTarget.sqliteFile(
            configuration, otherwise: "nexusone backup copies SQLite only: back PostgreSQL up with pg_dump as shown above")
        let summary = try SystemDatabaseBackup.backup(database: path, to: output)
        BackupReport(action: "backup", file: output, summary: summary, keyFile: configuration.encryptionKeyFile).print(format)
    }
}

/// `nexusone restore`: checks a backup, then puts it in place of the SQLite system database.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Check a backup and restore it as the system database (SQLite; pg_restore for PostgreSQL).",
        discussion: """
            Stop every server on the database first. The backup must pass SQLite's integrity check and hold exactly the \
            schema this build makes at its version (no other table, index, view or trigger); an older schema is migrated \
            at the next start. Use the encryption key of the backed-up system.
            Example: nexusone restore --input /backups/nexusone-2026-12-01.sqlite
            """)

    @OptionGroup var storage: StorageOptions

    @Option(help: "The backup file written by nexusone backup.")
    var input: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let configuration = try storage.configuration()
        let path = try BackupTarget.sqliteFile(
            configuration, otherwise: "nexusone restore writes SQLite only: restore PostgreSQL with pg_restore as shown above")
        try DataDirectory.ensure(configuration.dataDirectory)
        let summary = try await SystemDatabaseBackup.restore(from: input, to: path)
        BackupReport(action: "restore", file: path, summary: summary, keyFile: configuration.encryptionKeyFile).print(format)
    }
}

/// What backup and restore print.
struct BackupReport: Encodable {
    let action: String
    let file: String
    let schemaVersion: Int
    let bytes: Int
    let keyFile: String

    init(action: String, file: String, summary: SystemDatabaseBackup.Summary, keyFile: String) {
        self.action = action
        self.file = file
        self.schemaVersion = summary.schemaVersion
        self.bytes = summary.bytes
        self.keyFile = keyFile
    }

    enum CodingKeys: String, CodingKey {
        case action, file, bytes
        case schemaVersion = "schema_version"
    }

    func print(_ format: OutputFormat) {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            Swift.print(String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self))
        case .text:
            let verb = action == "backup" ? "Backed up to" : "Restored into"
            Swift.print("\(verb) \(file): schema version \(schemaVersion), \(bytes) bytes.")
            Swift.print("Keep the encryption key (NEXUSONE_ENCRYPTION_KEY or \(keyFile)) safe and apart from the backup.")
        }
    }
}

/// The system database that backup and restore work on: a SQLite file. For PostgreSQL the database's own tools are the
/// backup (consistent while servers run, restorable elsewhere): their commands are printed and the command fails, so a
/// script never mistakes the advice for a backup.
enum BackupTarget {
    static func sqliteFile(_ configuration: Configuration, otherwise refusal: String) throws -> String {
        guard let path = SystemDatabaseBackup.sqliteFile(configuration) else {
            print(postgresAdvice(databaseURL: configuration.resolvedDatabaseURL))
            throw CommandFailure(refusal)
        }
        return path
    }

    static func postgresAdvice(databaseURL: String) -> String {
        // The password stays out of the printed commands (and shell history): pg_dump reads PGPASSWORD or ~/.pgpass.
        var components = URLComponents(string: databaseURL)
        components?.password = nil
        let shown = components?.string ?? "postgres://…"
        return """
            PostgreSQL is backed up with its own tools (consistent while servers run; the password from PGPASSWORD or ~/.pgpass):
              pg_dump --format=custom --file nexusone.dump '\(shown)'
            and restored, with every server stopped, into an empty database:
              pg_restore --no-owner --dbname '\(shown)' nexusone.dump
            Keep the encryption key (NEXUSONE_ENCRYPTION_KEY) apart from the dump: without it the client secrets and
            signing keys in the dump cannot be read.
            """
    }
}
