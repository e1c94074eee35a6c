import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit

/// The production system database: PostgreSQL through postgres-nio's `PostgresClient` pool.
public final class PostgresStore: Database {
    public let kind = DatabaseKind.postgres
    let client: PostgresClient
    let logger: Logger
    private let connectionUse = ConnectionLane(capacity: maximumConnections)
    static let maximumConnections = 16

    public init(url: String, logger: Logger) throws {
        self.client = PostgresClient(
            configuration: try Self.configuration(from: url, maximumConnections: Self.maximumConnections), backgroundLogger: logger)
        self.logger = logger
    }

    public var poolStatistics: PoolStatistics { connectionUse.statistics }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await mapErrors {
            try await connectionUse.asking {
                try await client.withConnection { connection in
                    try await connectionUse.holding { try await body(connection.sql(queryLogLevel: nil)) }
                }
            }
        }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await mapErrors {
            try await connectionUse.asking {
                // The client's withTransaction, opened up so BEGIN and COMMIT count as holding the connection.
                try await client.withConnection { connection in
                    try await connectionUse.holding {
                        try await connection.withTransaction(logger: logger) { connection in try await body(connection.sql(queryLogLevel: nil)) }
                    }
                }
            }
        }
    }

    public func run() async throws {
        await client.run()
    }

    static let changeChannel = "nexusone_changes"

    /// `pg_notify` inside the caller's transaction: PostgreSQL delivers it on commit, never on rollback.
    public func announceChange(on sql: any SQLDatabase) async throws {
        try await sql.raw("SELECT pg_notify(\(bind: Self.changeChannel), '')").run()
    }

    /// LISTENs on a dedicated pooled connection; reconnects after a failure so a restarted database is heard again.
    public func listenForChanges(_ onChange: @escaping @Sendable () -> Void) async throws {
        while !Task.isCancelled {
            do {
                // Counted as in use: the pool lends one connection to listening for as long as the node runs.
                try await connectionUse.asking {
                    try await client.withConnection { connection in
                        try await connectionUse.holding {
                            try await connection.listen(on: Self.changeChannel) { notifications in
                                onChange()  // whatever happened while we were not listening
                                for try await _ in notifications { onChange() }
                            }
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("change listener lost its connection; retrying", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw StorageError.duplicate
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            throw StorageError.missingReference
        } catch let error as PSQLError where ["22021", "22P05"].contains(error.serverInfo?[.sqlState]) {
            throw StorageError.unstorableText
        } catch let error as PSQLError where [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown].contains(error.code) {
            throw StorageError.unavailable
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? PSQLError, inner.serverInfo?[.sqlState] == "23505" { throw StorageError.duplicate }
            if let inner = error.closureError as? PSQLError, inner.serverInfo?[.sqlState] == "23503" { throw StorageError.missingReference }
            if let inner = error.closureError as? PSQLError, ["22021", "22P05"].contains(inner.serverInfo?[.sqlState]) { throw StorageError.unstorableText }
            if let closureError = error.closureError { throw closureError }
            throw error
        }
    }

    /// `postgres://user:password@host:port/database` (also `postgresql://`); TLS is used when `sslmode=require`.
    public static func configuration(from url: String, maximumConnections: Int) throws -> PostgresClient.Configuration {
        let parsed = try PostgresURL(url)
        var configuration = PostgresClient.Configuration(
            host: parsed.host, port: parsed.port, username: parsed.username, password: parsed.password, database: parsed.database,
            tls: parsed.requiresTLS ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.maximumConnections = maximumConnections
        return configuration
    }
}

/// What a `postgres://user:password@host:port/database[?sslmode=require]` URL (also `postgresql://`) names.
public struct PostgresURL: Sendable {
    public let host: String
    public let port: Int
    public let username: String
    public let password: String?
    public let database: String?
    public let requiresTLS: Bool

    public init(_ url: String) throws {
        guard let components = URLComponents(string: url), let host = components.host,
            components.scheme == "postgres" || components.scheme == "postgresql"
        else { throw StorageError.unsupportedURL("not a postgres:// URL") }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.host = host
        port = components.port ?? 5432
        username = components.user?.removingPercentEncoding ?? "postgres"
        password = components.password?.removingPercentEncoding
        self.database = database.isEmpty ? nil : database
        requiresTLS = components.queryItems?.contains { $0.name == "sslmode" && $0.value == "require" } ?? false
    }
}
