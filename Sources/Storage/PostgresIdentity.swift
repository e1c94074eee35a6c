import PostgresNIO

/// Which PostgreSQL database a connection reached, whatever URL, host alias or role reached it: the cluster's system
/// identifier and the database's oid. Two URLs name the same database exactly when these agree.
public enum PostgresIdentity {
    /// `pg_control_system()` is executable by every role (PostgreSQL grants it to PUBLIC).
    public static func of(_ connection: PostgresConnection, logger: Logger) async throws -> String {
        let rows = try await connection.query(
            """
            SELECT (SELECT system_identifier FROM pg_control_system())::text || '/'
                || (SELECT oid FROM pg_database WHERE datname = current_database())::text
            """,
            logger: logger
        ).collect()
        return try rows.first?.decode(String.self) ?? ""
    }
}

extension PostgresStore {
    /// This system database's `PostgresIdentity`.
    public func identity() async throws -> String {
        try await client.withConnection { connection in try await PostgresIdentity.of(connection, logger: logger) }
    }
}
