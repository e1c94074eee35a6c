import Domain
import Logging
import Storage
import UseCases
import Warehouses

/// Storage opened for one command of the CLI: migrated, composed into `Services`, closed again when `body` returns.
public enum OneShot {
    public static func withServices<T: Sendable>(
        _ configuration: Configuration, logger: Logger, _ body: @Sendable (Services) async throws -> T
    ) async throws -> T {
        try DataDirectory.ensure(configuration.dataDirectory)
        let database = try await DatabaseFactory.open(url: configuration.resolvedDatabaseURL, logger: logger)
        return try await DatabaseFactory.withDatabase(database) { database in
            try await Migrator.migrate(database)
            // What a realm's own warehouse may not be (`nexusone realm warehouse`).
            let system = try await WarehouseAdmission.systemDatabase(url: configuration.resolvedDatabaseURL, database: database)
            let services = try Services(configuration: configuration, database: database, systemDatabase: system)
            return try await DatabaseFactory.withBackground({ try await services.warehouses.run() }) { try await body(services) }
        }
    }
}

extension Services {
    /// The schema version the system database is at.
    public func schemaVersion() async throws -> Int { try await Migrator.currentVersion(database) }

    /// The schema version this build's migrations make.
    public static var buildSchemaVersion: Int { Migrator.latestVersion }

    /// What the PostgreSQL warehouse's role may do beyond reading; nil for a SQLite warehouse (no role to check).
    public func warehousePrivilegeFindings() async throws -> [WarehouseFinding]? {
        guard let postgres = warehouse as? PostgresWarehouse else { return nil }
        return try await postgres.privilegeFindings()
    }

    /// Creates and fills the demo tables in the server's warehouse unless they exist; whether it loaded them.
    public func loadDemoData() async throws -> Bool { try await warehouse.ensureDemoData() }
}
