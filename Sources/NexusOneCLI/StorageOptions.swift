import ArgumentParser
import Logging
import Server

/// Where the data lives; shared by every command that opens storage. Flags win over `NEXUSONE_*` variables.
struct StorageOptions: ParsableArguments {
    @Option(help: "Directory for the SQLite files and the encryption key (NEXUSONE_DATA_DIR, default ./nexusone-data).")
    var dataDir: String?

    @Option(help: "postgres://user:pass@host:port/db, or a SQLite path (NEXUSONE_DATABASE_URL, default: SQLite in the data dir).")
    var databaseURL: String?

    @Option(help: "Warehouse: postgres://… or a SQLite path (NEXUSONE_WAREHOUSE_URL, default: the demo warehouse in the data dir).")
    var warehouseURL: String?

    @Option(help: "Public base URL that goes into token issuers (NEXUSONE_PUBLIC_URL, default http(s)://host:port).")
    var publicURL: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (NEXUSONE_LOG_LEVEL).")
    var logLevel: String?

    @Option(help: "Log format: text or json (NEXUSONE_LOG_FORMAT).")
    var logFormat: String?

    /// Defaults, then `NEXUSONE_*` variables, then these flags.
    func configuration() throws -> Configuration {
        var configuration = Configuration()
        configuration.applyEnvironment()
        try apply(to: &configuration)
        return configuration
    }

    private func apply(to configuration: inout Configuration) throws {
        if let dataDir { configuration.dataDirectory = dataDir }
        if let databaseURL { configuration.databaseURL = databaseURL }
        if let warehouseURL { configuration.warehouseURL = warehouseURL }
        if let publicURL { configuration.publicURL = publicURL }
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown log level '\(logLevel)'") }
            configuration.logLevel = level
        }
        if let logFormat {
            guard let format = Configuration.LogFormat(rawValue: logFormat) else { throw ValidationError("log format must be text or json") }
            configuration.logFormat = format
        }
    }
}

/// `--output text|json` for commands that print results for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Opens storage for a one-shot command, runs `body`, and closes it again.
enum CommandRunner {
    static func logger(_ configuration: Configuration) -> Logger {
        let level = configuration.logLevel
        let format = configuration.logFormat
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "nexusone")
    }

    static func withServices<T: Sendable>(_ configuration: Configuration, _ body: @Sendable (Services) async throws -> T) async throws -> T {
        try await OneShot.withServices(configuration, logger: logger(configuration), body)
    }
}
