import Domain
import Logging
import PostgresNIO
import Storage

extension PostgresWarehouse {
    /// What the warehouse URL's role may do beyond reading, asked of PostgreSQL's own privilege functions; the powers
    /// that make `serve` refuse the role come first and say so (`blocksServing`).
    public func privilegeFindings() async throws -> [WarehouseFinding] {
        try await connections.withConnection { pooled in
            let connection = pooled.connection
            let powers = try await Self.powers(on: connection, logger: logger).map { WarehouseFinding(.problem, $0, blocksServing: true) }
            return powers + (try await Self.otherFindings(on: connection, logger: logger))
        }
    }

    /// What `serve` needs to know before it lets a PostgreSQL warehouse run user SQL, read through a short-lived
    /// connection of its own (the warehouse's pool may not be running yet): the role's powers beyond reading and
    /// which database this is (`PostgresIdentity`).
    public static func inspect(url: String, logger: Logger) async throws -> (powers: [String], identity: String) {
        let client = PostgresClient(configuration: try configuration(url: url, timeoutMilliseconds: 5_000, connections: 1), backgroundLogger: logger)
        return try await DatabaseFactory.withBackground({ await client.run() }) {
            try await client.withConnection { connection in
                (try await powers(on: connection, logger: logger), try await PostgresIdentity.of(connection, logger: logger))
            }
        }
    }

    /// The role's powers that no read-only transaction takes back — reading and writing server files, running
    /// programs, signalling other sessions, replication slots, bypassing row security, making roles or databases —
    /// each as a sentence; empty for a role fit to run user SQL. A power of any role it is a member of counts: SQL can
    /// switch to such a role (`set_config('role', …)`) as readily as use an inherited one.
    static func powers(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await connection.query(
            """
            WITH mine AS (
                SELECT r.*, CASE WHEN r.rolname = current_user THEN '' ELSE ' (through ' || r.rolname || ')' END AS via
                FROM pg_roles r WHERE pg_has_role(current_user, r.oid, 'MEMBER'))
            SELECT 'the role' || via || ' is a superuser' FROM mine WHERE rolsuper
            UNION ALL SELECT 'the role' || via || ' has REPLICATION' FROM mine WHERE rolreplication
            UNION ALL SELECT 'the role' || via || ' has BYPASSRLS (it bypasses row-level security)' FROM mine WHERE rolbypassrls
            UNION ALL SELECT 'the role' || via || ' has CREATEROLE' FROM mine WHERE rolcreaterole
            UNION ALL SELECT 'the role' || via || ' has CREATEDB' FROM mine WHERE rolcreatedb
            UNION ALL SELECT 'the role is a member of ' || rolname FROM mine
                WHERE rolname IN ('pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program', 'pg_signal_backend')
            """,
            logger: logger
        ).collect().map { try $0.decode(String.self) }
    }

    /// Changes for good that the read-only transaction already prevents, but a role should not hold (problems), and
    /// what the sandbox undoes at the end of every statement anyway (notes).
    private static func otherFindings(on connection: PostgresConnection, logger: Logger) async throws -> [WarehouseFinding] {
        try await connection.query(
            """
            SELECT 'problem', 'the role is a member of ' || rolname FROM pg_roles
                WHERE rolname IN ('pg_write_all_data', 'pg_checkpoint') AND pg_has_role(current_user, oid, 'MEMBER')
            UNION ALL SELECT 'problem', 'the role can create objects in the database' WHERE has_database_privilege(current_database(), 'CREATE')
            UNION ALL SELECT 'problem', 'the role can create objects in schema ' || nspname FROM pg_namespace
                WHERE has_schema_privilege(oid, 'CREATE') AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
            UNION ALL SELECT 'problem', 'the role owns ' || n.nspname || '.' || c.relname || ' (it can alter or drop it)'
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND pg_has_role(current_user, c.relowner, 'USAGE')
                AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
            UNION ALL SELECT 'problem', 'the role can write to ' || n.nspname || '.' || c.relname
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                AND n.nspname NOT LIKE 'pg\\_toast%'
                AND (has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE')
                     OR has_table_privilege(c.oid, 'TRUNCATE'))
            UNION ALL SELECT 'note', 'the role can create temporary tables (each statement''s transaction is rolled back; '
                || 'REVOKE TEMPORARY ON DATABASE ' || quote_ident(current_database()) || ' FROM PUBLIC to forbid it)'
                WHERE has_database_privilege(current_database(), 'TEMPORARY')
            UNION ALL SELECT 'note', 'the role can create large objects (rolled back with each statement; '
                || 'REVOKE EXECUTE ON FUNCTION lo_from_bytea(oid, bytea), lo_create(oid), lo_creat(integer) FROM PUBLIC to forbid it)'
                WHERE has_function_privilege('lo_from_bytea(oid, bytea)', 'EXECUTE')
            UNION ALL SELECT 'note', 'the role can end its own other sessions, those of other realms sharing it included '
                || '(REVOKE EXECUTE ON FUNCTION pg_terminate_backend(integer, bigint), pg_cancel_backend(integer) FROM PUBLIC to forbid it)'
                WHERE EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'pg_terminate_backend' AND has_function_privilege(oid, 'EXECUTE'))
            UNION ALL SELECT 'note', 'the extension ' || extname || ' is installed: it reaches beyond this database' FROM pg_extension
                WHERE extname IN ('dblink', 'postgres_fdw', 'file_fdw', 'adminpack')
            """,
            logger: logger
        ).collect().map { row in
            let (kind, text) = try row.decode((String, String).self)
            return WarehouseFinding(kind == "problem" ? .problem : .note, text)
        }
    }
}
