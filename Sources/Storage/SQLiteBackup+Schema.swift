import Foundation
import Logging
internal import SystemSQLite

extension SQLiteBackup {
    /// One object of a SQLite schema as `sqlite_master` describes it.
    struct SchemaObject: Hashable, Comparable {
        let type: String
        let name: String
        let sql: String

        static func < (left: SchemaObject, right: SchemaObject) -> Bool { (left.type, left.name) < (right.type, right.name) }
    }

    /// Refuses a backup whose schema holds anything this build's migrations do not make at its version, or lacks
    /// anything they make: a trigger, view or index slipped into a backup file would otherwise run inside the server
    /// (one that made every new user an administrator was accepted before). The expected schema is made by migrating
    /// an empty database in a temporary directory.
    public static func requireBuildSchema(_ path: String, version: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexusone-schema-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reference = directory + "/reference.sqlite"
        let database = try await SQLiteStore.open(path: reference, logger: Logger(label: "nexusone.restore"))
        try await DatabaseFactory.withDatabase(database) { database in try await Migrator.migrate(database, upTo: version) }
        let expected = try schema(of: reference)
        let found = try schema(of: path)
        let foreign = found.subtracting(expected).sorted().map { "\($0.type) \($0.name)" }
        let missing = expected.subtracting(found).sorted().map { "\($0.type) \($0.name)" }
        guard foreign.isEmpty && missing.isEmpty else { throw BackupError.foreignSchema(path, foreign: foreign, missing: missing) }
    }

    /// Every row of `sqlite_master` with its SQL, whitespace collapsed — but SQLite's own bookkeeping: the tables
    /// `sqlite_sequence` and `sqlite_stat1`/`4`, and the automatic indexes of unique constraints (no SQL of their own).
    /// A name is no proof of origin: SQLite loads a trigger called `sqlite_x` from a file like any other.
    static func schema(of path: String) throws -> Set<SchemaObject> {
        var opened: OpaquePointer?
        guard sqlite3_open_v2(path, &opened, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let handle = opened else {
            if let opened { sqlite3_close_v2(opened) }
            throw BackupError.notIntact(path)
        }
        defer { sqlite3_close_v2(handle) }
        var prepared: OpaquePointer?
        let query = """
            SELECT type, name, coalesce(sql, '') FROM sqlite_master
            WHERE NOT (type = 'table' AND name IN ('sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4'))
              AND NOT (type = 'index' AND name LIKE 'sqlite\\_autoindex\\_%' ESCAPE '\\' AND sql IS NULL)
            """
        guard sqlite3_prepare_v2(handle, query, -1, &prepared, nil) == SQLITE_OK, let statement = prepared else {
            throw BackupError.sqlite(String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        var objects: Set<SchemaObject> = []
        while sqlite3_step(statement) == SQLITE_ROW {
            func text(_ column: Int32) -> String { sqlite3_column_text(statement, column).map { String(cString: $0) } ?? "" }
            let sql = text(2).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            objects.insert(SchemaObject(type: text(0), name: text(1), sql: sql))
        }
        return objects
    }
}
