import ArgumentParser
import Logging
import Server

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
        do {
            try await ServeNode.run(configuration, logger: logger) { report, configuration in StartupBanner.print(report, configuration: configuration) }
        } catch let refused as ServeNode.Refused {
            throw CommandFailure(refused.description)
        }
    }
}
