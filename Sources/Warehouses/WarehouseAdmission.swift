import Foundation
import Logging
import Storage

/// Whether a warehouse may run user SQL (docs/security.md "The warehouse role"): it is not the system database, whose
/// tables hold every hash and sealed secret and whose advisory lock guards migrations; and a PostgreSQL warehouse's
/// role holds no power that a rolled-back, read-only transaction cannot take back (superuser, REPLICATION, BYPASSRLS,
/// CREATEROLE, CREATEDB, server files and programs, signalling other sessions) — unless the operator allows that for a
/// lab, which the caller logs loudly.
public struct WarehouseAdmission: Sendable {
    /// Which database is the system database, as the warehouse checks compare it.
    public enum SystemDatabase: Sendable, Equatable {
        /// A SQLite file, by device and inode (so a symlink or another spelling of the path is the same file).
        case sqliteFile(device: UInt64, inode: UInt64)
        /// `PostgresIdentity`.
        case postgres(String)
        case unknown
    }

    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    let system: SystemDatabase
    let allowPrivileged: Bool
    let logger: Logger

    public init(system: SystemDatabase, allowPrivileged: Bool, logger: Logger) {
        self.system = system
        self.allowPrivileged = allowPrivileged
        self.logger = logger
    }

    /// The system database that `url` opened as `database`.
    public static func systemDatabase(url: String, database: any Database) async throws -> SystemDatabase {
        if let postgres = database as? PostgresStore { return .postgres(try await postgres.identity()) }
        return DatabaseFactory.sqlitePath(url: url).flatMap(fileIdentity).map { .sqliteFile(device: $0.device, inode: $0.inode) } ?? .unknown
    }

    /// Throws `Refusal` when the warehouse at `url` may not serve; returns the powers it was allowed despite
    /// (`allowPrivileged`), which the caller logs.
    @discardableResult
    public func admit(url: String) async throws -> [String] {
        guard WarehouseURL.isPostgres(url) else {
            let path = url.hasPrefix("sqlite://") ? String(url.dropFirst("sqlite://".count)) : url
            if case .sqliteFile(let device, let inode) = system, let file = Self.fileIdentity(path), file == (device, inode) {
                throw Refusal(description: "the warehouse \(path) is the system database: give the warehouse a database of its own")
            }
            return []
        }
        let (powers, identity) = try await PostgresWarehouse.inspect(url: url, logger: logger)
        if case .postgres(let systemIdentity) = system, systemIdentity == identity {
            throw Refusal(
                description: "the warehouse is the system database: user SQL could read its tables and hold its migration lock; "
                    + "give the warehouse a database of its own")
        }
        guard powers.isEmpty || allowPrivileged else {
            throw Refusal(
                description: "the warehouse role can do more than read (\(powers.joined(separator: "; "))): give it a role that can only read "
                    + "(docs/security.md), or --allow-privileged-warehouse for a lab")
        }
        return powers
    }

    private static func fileIdentity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }
}
