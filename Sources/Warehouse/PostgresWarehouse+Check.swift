import PostgresNIO

extension PostgresWarehouse {
    /// What the warehouse URL's role may do beyond reading: asked of PostgreSQL's own privilege functions.
    public func privilegeFindings() async throws -> [WarehouseFinding] {
        try await privilegeRows().map { row in
            let (kind, text) = try row.decode((String, String).self)
            return WarehouseFinding(kind == "problem" ? .problem : .note, text)
        }
    }

    private func privilegeRows() async throws -> [PostgresRow] {
        try await client.withConnection { connection in
            try await connection.query(
                """
                SELECT 'problem', 'the role ' || rolname || ' is a superuser' FROM pg_roles WHERE rolname = current_user AND rolsuper
                UNION ALL SELECT 'problem', 'the role can create roles' FROM pg_roles WHERE rolname = current_user AND rolcreaterole
                UNION ALL SELECT 'problem', 'the role can create databases' FROM pg_roles WHERE rolname = current_user AND rolcreatedb
                UNION ALL SELECT 'problem', 'the role bypasses row-level security' FROM pg_roles WHERE rolname = current_user AND rolbypassrls
                UNION ALL SELECT 'problem', 'the role is a member of ' || rolname FROM pg_roles
                    WHERE rolname IN ('pg_write_server_files', 'pg_read_server_files', 'pg_execute_server_program', 'pg_write_all_data',
                                      'pg_signal_backend', 'pg_checkpoint')
                    AND pg_has_role(current_user, oid, 'MEMBER')
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
                """,
                logger: logger
            ).collect()
        }
    }
}
