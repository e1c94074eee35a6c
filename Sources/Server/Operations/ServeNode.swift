import Domain
import Logging
import Storage
import Tokens
import Warehouses

/// `serve`, from an open data directory to a stopped server: the shared lock `restore` respects, the system database,
/// the warehouse's admission, the first-start bootstrap, and the application until SIGTERM has drained it.
public enum ServeNode {
    /// Why `serve` refuses to start (the warehouse is the system database, or its role can do more than read).
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    /// `announce` prints what the operator sees once the node is ready (the CLI's banner).
    public static func run(
        _ configuration: Configuration, logger: Logger, announce: @escaping @Sendable (StartupReport, Configuration) -> Void
    ) async throws {
        try DataDirectory.ensure(configuration.dataDirectory)
        // `nexusone restore` refuses while this is held: it would change the data under the server's caches.
        let fileLock = try DatabaseFactory.sqlitePath(url: configuration.resolvedDatabaseURL).map { try DatabaseFileLock.shared(database: $0) }
        defer { withExtendedLifetime(fileLock) {} }
        let database = try await DatabaseFactory.open(url: configuration.resolvedDatabaseURL, logger: logger)
        try await DatabaseFactory.withDatabase(database) { database in
            let system = try await WarehouseAdmission.systemDatabase(url: configuration.resolvedDatabaseURL, database: database)
            try await admitWarehouse(configuration, system: system, logger: logger)
            let services = try Services(configuration: configuration, database: database, systemDatabase: system)
            let report = try await Bootstrap.run(services)
            let app = try await buildApplication(services, defaultRealm: report.defaultRealm, logger: logger)
            if report.schemaVersion > Migrator.latestVersion {
                // Fine while migrations stay additive (docs/deployment.md); worth knowing during a roll-out or rollback.
                logger.notice(
                    "the database schema is newer than this build's", metadata: ["schema": "\(report.schemaVersion)", "build_schema": "\(Migrator.latestVersion)"])
            }
            logger.info("RS256 tokens are signed through \(RSASigning.library)", metadata: ["rsa_signer": "\(RSASigning.library)"])
            announce(report, configuration)
            try await runUntilShutdown(app, services: services, logger: logger)
        }
    }

    /// `serve` refuses a warehouse that is the system database, or whose role can do more than read; allowed anyway
    /// (`--allow-privileged-warehouse`), it says so at the highest level on every start.
    static func admitWarehouse(_ configuration: Configuration, system: WarehouseAdmission.SystemDatabase, logger: Logger) async throws {
        let admission = WarehouseAdmission(system: system, allowPrivileged: configuration.allowPrivilegedWarehouse, logger: logger)
        do {
            let allowed = try await admission.admit(url: configuration.resolvedWarehouseURL)
            if !allowed.isEmpty {
                logger.critical(
                    "the warehouse role can do more than read, and --allow-privileged-warehouse lets it serve: user SQL may reach beyond the warehouse",
                    metadata: ["powers": "\(allowed.joined(separator: "; "))"])
            }
        } catch let refusal as WarehouseAdmission.Refusal {
            throw Refused(description: "refusing to serve: \(refusal.description)")
        }
    }
}
