import Foundation
internal import SystemSQLite

/// Backup and restore of the SQLite system database, through the system's SQLite (the CLI process never opens the
/// file with SQLiteNIO's copy as well: two SQLite libraries on one file in one process can break each other's locks).
///
/// `backup` is `VACUUM INTO` from a read transaction: a consistent snapshot of a database that a running server keeps
/// writing. `restore` checks the file first (integrity, a NexusOne schema no newer than this build) and then copies it
/// in with SQLite's online backup API, which takes the destination's locks and works with its WAL, unlike a file copy.
public enum SQLiteBackup {
    /// What a backup file holds.
    public struct Summary: Sendable, Equatable {
        public let schemaVersion: Int
        public let bytes: Int
    }

    public static func backup(database path: String, to output: String) throws -> Summary {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupError.noDatabase(path) }
        // SQLite may read a `file:` name as a URI (with options) rather than as a path.
        guard !output.lowercased().hasPrefix("file:") else { throw BackupError.cannotWrite(output, "give a path, not a file: URI") }
        // Created empty and 0600 first (VACUUM INTO accepts an empty file): the snapshot holds hashes and sealed secrets.
        let descriptor = open(output, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw errno == EEXIST ? BackupError.outputExists(output) : BackupError.cannotWrite(output, String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        do {
            let source = try Handle(path: path, flags: SQLITE_OPEN_READWRITE)
            try source.run("VACUUM INTO ?", binding: output)
            // VACUUM INTO does not sync what it wrote: "backed up" must survive a power cut.
            guard fsync(descriptor) == 0 else { throw BackupError.cannotWrite(output, String(cString: strerror(errno))) }
            // A database newer than this build is still backed up: the check that matters is that the copy is whole.
            return try inspect(output, requireKnownSchema: false)
        } catch {
            try? FileManager.default.removeItem(atPath: output)
            throw error
        }
    }

    /// Checks `input` and copies it over the database at `path` (created if missing). Stop every server first.
    public static func restore(from input: String, to path: String) throws -> Summary {
        let summary = try inspect(input)
        guard let lock = try DatabaseFileLock.exclusive(database: path) else { throw BackupError.busy(path) }
        defer { withExtendedLifetime(lock) {} }
        let source = try Handle(path: input, flags: SQLITE_OPEN_READONLY)
        let destination = try Handle(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        chmod(path, 0o600)
        guard let backup = sqlite3_backup_init(destination.pointer, "main", source.pointer, "main") else {
            throw BackupError.sqlite(destination.message)
        }
        let step = sqlite3_backup_step(backup, -1)
        let finish = sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE, finish == SQLITE_OK else {
            throw step == SQLITE_BUSY || step == SQLITE_LOCKED ? BackupError.busy(path) : BackupError.sqlite(destination.message)
        }
        return summary
    }

    /// Integrity and schema version of a backup file; refuses anything that is not a whole NexusOne database this
    /// build can run.
    public static func inspect(_ path: String, requireKnownSchema: Bool = true) throws -> Summary {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupError.noDatabase(path) }
        let file = try Handle(path: path, flags: SQLITE_OPEN_READONLY)
        guard (try? file.text("PRAGMA integrity_check")) == "ok" else { throw BackupError.notIntact(path) }
        guard (try? file.text("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")) != nil,
            let version = (try? file.text("SELECT MAX(version) FROM schema_migrations")).flatMap({ $0 }).flatMap(Int.init), version > 0
        else { throw BackupError.notNexusOne(path) }
        guard version <= Migrator.latestVersion || !requireKnownSchema else { throw BackupError.newerSchema(version, Migrator.latestVersion) }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return Summary(schemaVersion: version, bytes: bytes)
    }
}

public enum BackupError: Error, Equatable, CustomStringConvertible {
    case noDatabase(String)
    case outputExists(String)
    case cannotWrite(String, String)
    case notIntact(String)
    case notNexusOne(String)
    case newerSchema(Int, Int)
    case busy(String)
    case restoring(String)
    case sqlite(String)
    case foreignSchema(String, foreign: [String], missing: [String])

    public var description: String {
        switch self {
        case .noDatabase(let path): "no SQLite database at \(path)"
        case .outputExists(let path): "\(path) exists already; a backup never overwrites a file"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .notIntact(let path): "\(path) fails SQLite's integrity check"
        case .notNexusOne(let path): "\(path) is not a NexusOne system database (no schema version)"
        case .newerSchema(let found, let known):
            "the backup has schema version \(found); this build knows up to \(known): restore it with a newer nexusone"
        case .busy(let path): "\(path) is in use by a running server: stop every server on it first"
        case .restoring(let path): "\(path) is being restored: start the server when the restore is done"
        case .sqlite(let message): "SQLite: \(message)"
        case .foreignSchema(let path, let foreign, let missing):
            "\(path) is not a schema this build makes"
                + (foreign.isEmpty ? "" : "; it holds \(foreign.joined(separator: ", "))")
                + (missing.isEmpty ? "" : "; it lacks \(missing.joined(separator: ", "))")
        }
    }
}

/// One connection of the system's SQLite, closed when released.
private final class Handle {
    let pointer: OpaquePointer

    init(path: String, flags: Int32) throws {
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let opened { sqlite3_close_v2(opened) }
            throw code == SQLITE_NOTADB ? BackupError.notIntact(path) : BackupError.sqlite(message)
        }
        pointer = opened
        sqlite3_busy_timeout(pointer, 5_000)
    }

    deinit { sqlite3_close_v2(pointer) }

    var message: String { String(cString: sqlite3_errmsg(pointer)) }

    /// Runs one statement, binding `text` to its single parameter if given.
    func run(_ sql: String, binding text: String? = nil) throws {
        _ = try first(sql, binding: text)
    }

    /// The first column of the first row, as text (nil for NULL or no row).
    func text(_ sql: String) throws -> String? { try first(sql, binding: nil) }

    private func first(_ sql: String, binding text: String?) throws -> String? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(pointer, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw BackupError.sqlite(message) }
        defer { sqlite3_finalize(statement) }
        if let text {
            // SQLITE_TRANSIENT: SQLite copies the text before the Swift string goes away.
            guard sqlite3_bind_text(statement, 1, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self)) == SQLITE_OK else {
                throw BackupError.sqlite(message)
            }
        }
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return sqlite3_column_text(statement, 0).map { String(cString: $0) }
        case SQLITE_DONE: return nil
        case SQLITE_BUSY, SQLITE_LOCKED: throw BackupError.sqlite("the database stayed locked for 5 s")
        default: throw code(sqlite3_errcode(pointer))
        }
    }

    private func code(_ code: Int32) -> BackupError {
        code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? .notIntact(sqlite3_db_filename(pointer, "main").map { String(cString: $0) } ?? "") : .sqlite(message)
    }
}
