import ArgumentParser
import Hummingbird
import Logging
import Server
import Storage
import Tokens
import UseCases
import Warehouse

/// `nexusone serve` (the default): starts the server, doing the first-run setup when the storage is new.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start the server (the default command).",
        discussion: "Example: nexusone serve --port 8443 --tls-cert cert.pem --tls-key key.pem")

    @OptionGroup var storage: StorageOptions

    @Option(help: "Address to listen on (NEXUSONE_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (NEXUSONE_PORT, default 8080).")
    var port: Int?

    @Option(help: "Password for the master administrator on first start (NEXUSONE_ADMIN_PASSWORD; generated and printed once if absent).")
    var adminPassword: String?

    @Option(help: "Realm whose portal is served at / (NEXUSONE_DEFAULT_REALM; default: the first realm deployed).")
    var defaultRealm: String?

    @Option(help: "PEM certificate chain for HTTPS (NEXUSONE_TLS_CERT).")
    var tlsCert: String?

    @Option(help: "PEM private key for HTTPS (NEXUSONE_TLS_KEY).")
    var tlsKey: String?

    @Flag(help: "Do not create the first deployment or the demo warehouse.")
    var noDemo = false

    @Option(
        name: .customLong("external-issuer"),
        help: "Accept a realm's tokens from this issuer only: https://kc.example.com/realms/NAME, or NAME=URL (repeatable; NEXUSONE_EXTERNAL_ISSUERS, comma-separated).")
    var externalIssuers: [String] = []

    @Option(help: "Seconds to keep serving after SIGTERM while readiness says 503 (NEXUSONE_SHUTDOWN_GRACE, default 5).")
    var shutdownGrace: Int?

    @Option(
        name: .customLong("trusted-proxy"),
        help: "A proxy (CIDR or address) whose X-Forwarded-For names the client, read from the right (repeatable; NEXUSONE_TRUSTED_PROXIES, comma-separated).")
    var trustedProxies: [String] = []

    @Flag(help: "Serve even when the PostgreSQL warehouse role can do more than read: for a lab only (NEXUSONE_ALLOW_PRIVILEGED_WAREHOUSE=1).")
    var allowPrivilegedWarehouse = false

    func run() async throws {
        MemoryArenas.limit()
        ConnectionLimits.raiseDescriptorLimit()
        var configuration = try storage.configuration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let adminPassword { configuration.adminPassword = adminPassword }
        if let defaultRealm { configuration.defaultRealm = defaultRealm }
        if let tlsCert { configuration.tlsCertificatePath = tlsCert }
        if let tlsKey { configuration.tlsKeyPath = tlsKey }
        if noDemo { configuration.noDemo = true }
        if !externalIssuers.isEmpty { configuration.externalIssuers = externalIssuers }
        if allowPrivilegedWarehouse { configuration.allowPrivilegedWarehouse = true }
        if !trustedProxies.isEmpty { configuration.trustedProxies = trustedProxies }
        if let shutdownGrace {
            guard Configuration.shutdownGraceRange.contains(shutdownGrace) else { throw ValidationError("--shutdown-grace is 0…600 seconds") }
            configuration.shutdownGrace = .seconds(shutdownGrace)
        }
        guard (configuration.tlsCertificatePath == nil) == (configuration.tlsKeyPath == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        let logger = CommandRunner.logger(configuration)
        try DataDirectory.ensure(configuration.dataDirectory)
        // `nexusone restore` refuses while this is held: it would change the data under the server's caches.
        let fileLock = try DatabaseFactory.sqlitePath(url: configuration.resolvedDatabaseURL).map { try DatabaseFileLock.shared(database: $0) }
        defer { withExtendedLifetime(fileLock) {} }
        let database = try await DatabaseFactory.open(url: configuration.resolvedDatabaseURL, logger: logger)
        let finalConfiguration = configuration
        try await DatabaseFactory.withDatabase(database) { database in
            let system = try await WarehouseAdmission.systemDatabase(url: finalConfiguration.resolvedDatabaseURL, database: database)
            try await Self.admitWarehouse(finalConfiguration, system: system, logger: logger)
            let services = try Services(configuration: finalConfiguration, database: database, systemDatabase: system)
            let report = try await Bootstrap.run(services)
            let app = try await buildApplication(services, defaultRealm: report.defaultRealm, logger: logger)
            if report.schemaVersion > Migrator.latestVersion {
                // Fine while migrations stay additive (docs/deployment.md); worth knowing during a roll-out or rollback.
                logger.notice(
                    "the database schema is newer than this build's", metadata: ["schema": "\(report.schemaVersion)", "build_schema": "\(Migrator.latestVersion)"])
            }
            logger.info("RS256 tokens are signed through \(RSASigning.library)", metadata: ["rsa_signer": "\(RSASigning.library)"])
            StartupBanner.print(report, configuration: finalConfiguration)
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
            throw CommandFailure("refusing to serve: \(refusal.description)")
        }
    }
}
