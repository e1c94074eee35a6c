import Foundation
import Logging

/// Server settings. Flags win over `NEXUSONE_*` environment variables, which win over these defaults (operations.md).
public struct Configuration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./nexusone-data"
    /// `postgres://…` or a SQLite path; nil means `<data dir>/nexusone.sqlite`.
    public var databaseURL: String?
    public var warehouseURL: String?
    /// What goes into `iss`; nil means `http(s)://host:port`.
    public var publicURL: String?
    public var adminPassword: String?
    public var defaultRealm: String?
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    public var logLevel: Logger.Level = .info
    public var logFormat: LogFormat = .text
    /// base64 of 32 bytes; nil means `<data dir>/encryption.key` (created 0600 on first start).
    public var encryptionKey: String?
    /// Skip the first deployment (and, once it exists, the demo warehouse).
    public var noDemo = false
    /// Idle and request timeouts and the connection cap (`NEXUSONE_HTTP_IDLE_TIMEOUT`, `NEXUSONE_HTTP_REQUEST_TIMEOUT`,
    /// `NEXUSONE_MAX_CONNECTIONS`).
    public var connections = ConnectionLimits()
    /// `--trusted-proxy`: proxies (CIDR networks or addresses) whose `X-Forwarded-For` names the client.
    public var trustedProxies: [String] = []
    /// Let a PostgreSQL warehouse whose role can do more than read serve anyway (a lab; logged loudly at start).
    public var allowPrivilegedWarehouse = false
    /// Failed attempts per minute before 429, per credential and address pair (and 5× that per credential alone).
    public var authFailureLimit = 20
    /// The bearer token `/metrics` asks for; nil turns `/metrics` off (404).
    public var metricsToken: String?
    /// Serve `GET /api/bench/me` without authentication: `/api/user/me`'s handler for the principal of this PSK (checked
    /// once, at start), so the baseline of `Benchmarks/run.sh` answers the same bytes as the authenticated call. Never
    /// set in production (`NEXUSONE_BENCHMARK_BASELINE=<a PSK>`).
    public var benchmarkBaselinePSK: String?
    /// `--external-issuer`: realms whose tokens come from another OpenID provider (`URL` or `NAME=URL`, see
    /// `ExternalIssuer`); parsed when the services are built.
    public var externalIssuers: [String] = []
    /// After SIGTERM: how long readiness says 503 while the server still serves, so load balancers take the node
    /// out before it stops accepting (`--shutdown-grace`, `NEXUSONE_SHUTDOWN_GRACE`, seconds).
    public var shutdownGrace: Duration = .seconds(5)
    /// The longest drain `--shutdown-grace` takes: beyond it, orchestrators kill the process anyway.
    public static let shutdownGraceRange = 0...600
    /// After the drain, how long requests in flight may take to finish before they are cancelled. Orchestrators'
    /// grace periods cover the drain plus this (`deploy/kubernetes/deployment.yaml`).
    public static let inFlightBudget = Duration.seconds(15)

    public init() {}

    public enum LogFormat: String, Sendable, CaseIterable {
        case text
        case json
    }

    public var usesTLS: Bool { tlsCertificatePath != nil && tlsKeyPath != nil }

    public var resolvedPublicURL: String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let displayHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "\(usesTLS ? "https" : "http")://\(displayHost):\(port)"
    }

    public var resolvedDatabaseURL: String { databaseURL ?? (dataDirectory as NSString).appendingPathComponent("nexusone.sqlite") }

    /// `postgres://…` or a SQLite path; nil means the demo warehouse `<data dir>/warehouse.sqlite`.
    public var resolvedWarehouseURL: String { warehouseURL ?? (dataDirectory as NSString).appendingPathComponent("warehouse.sqlite") }

    /// Whether the warehouse is the embedded demo file (which `serve` fills with the demo data set).
    public var usesEmbeddedWarehouse: Bool { warehouseURL == nil }

    public var encryptionKeyFile: String { (dataDirectory as NSString).appendingPathComponent("encryption.key") }

    /// Fills unset values from the environment (`NEXUSONE_HOST`, `NEXUSONE_PORT`, …).
    public mutating func applyEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ name: String) -> String? { environment["NEXUSONE_\(name)"].flatMap { $0.isEmpty ? nil : $0 } }
        if let v = value("HOST") { host = v }
        if let v = value("PORT").flatMap(Int.init) { port = v }
        if let v = value("DATA_DIR") { dataDirectory = v }
        if let v = value("DATABASE_URL") { databaseURL = v }
        if let v = value("WAREHOUSE_URL") { warehouseURL = v }
        if let v = value("PUBLIC_URL") { publicURL = v }
        if let v = value("ADMIN_PASSWORD") { adminPassword = v }
        if let v = value("DEFAULT_REALM") { defaultRealm = v }
        if let v = value("TLS_CERT") { tlsCertificatePath = v }
        if let v = value("TLS_KEY") { tlsKeyPath = v }
        if let v = value("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) { logLevel = v }
        if let v = value("LOG_FORMAT").flatMap(LogFormat.init(rawValue:)) { logFormat = v }
        if let v = value("ENCRYPTION_KEY") { encryptionKey = v }
        if let v = value("AUTH_FAILURE_LIMIT").flatMap(Int.init) { authFailureLimit = v }
        if let v = value("METRICS_TOKEN") { metricsToken = v }
        if let v = value("BENCHMARK_BASELINE") { benchmarkBaselinePSK = v }
        if let v = value("SHUTDOWN_GRACE").flatMap(Int.init), Self.shutdownGraceRange.contains(v) { shutdownGrace = .seconds(v) }
        if let v = value("HTTP_IDLE_TIMEOUT").flatMap(Int.init), (1...3_600).contains(v) { connections.idleTimeout = .seconds(v) }
        if let v = value("HTTP_REQUEST_TIMEOUT").flatMap(Int.init), (1...3_600).contains(v) { connections.requestTimeout = .seconds(v) }
        if let v = value("MAX_CONNECTIONS").flatMap(Int.init), v >= 1 { connections.maximumConnections = v }
        if let v = value("TRUSTED_PROXIES") { trustedProxies = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if let v = value("ALLOW_PRIVILEGED_WAREHOUSE") { allowPrivilegedWarehouse = ["1", "true", "yes"].contains(v.lowercased()) }
        if let v = value("EXTERNAL_ISSUERS") { externalIssuers = v.split(separator: ",").map(String.init) }
    }
}
