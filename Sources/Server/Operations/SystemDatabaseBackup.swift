import Storage

/// Backup and restore of the SQLite system database (PostgreSQL's are pg_dump and pg_restore).
public enum SystemDatabaseBackup {
    /// What a backup or a restore wrote.
    public struct Summary: Sendable, Equatable {
        public let schemaVersion: Int
        public let bytes: Int
    }

    /// The SQLite file the configuration's system database is, or nil for PostgreSQL.
    public static func sqliteFile(_ configuration: Configuration) -> String? { DatabaseFactory.sqlitePath(url: configuration.resolvedDatabaseURL) }

    /// A consistent snapshot of the live database (`VACUUM INTO`), written 0600 to a file that must not exist.
    public static func backup(database path: String, to output: String) throws -> Summary {
        Summary(try SQLiteBackup.backup(database: path, to: output))
    }

    /// Checks the backup (integrity, and exactly the schema this build makes at its version), then puts it in place.
    public static func restore(from input: String, to path: String) async throws -> Summary {
        try await SQLiteBackup.requireBuildSchema(input, version: try SQLiteBackup.inspect(input).schemaVersion)
        return Summary(try SQLiteBackup.restore(from: input, to: path))
    }
}

extension SystemDatabaseBackup.Summary {
    init(_ summary: SQLiteBackup.Summary) {
        self.init(schemaVersion: summary.schemaVersion, bytes: summary.bytes)
    }
}
