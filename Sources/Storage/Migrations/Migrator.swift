import Foundation
import SQLKit

/// Applies the migrations the database has not seen yet and records each in `schema_migrations`.
public enum Migrator {
    static let all: [any Migration] = [
        CreateRealms(),
        CreateClients(),
        CreateUsersAndRoles(),
        CreateSessions(),
        CreateSettings(),
        CreateKeys(),
        CreateDataProducts(),
        CreateQueries(),
        CreatePortalSessions(),
        CreateTokenCutOffs(),
        SingleUseAndUniqueNames(),
        CreateConsumedTokens(),
        RecordKeyOrigin(),
        UserAttributesAndPasswordDates(),
        CreateRealmWarehouses(),
        CreateGroups(),
        SessionAddressAndLastAccess(),
        PasswordPolicyAndHistory(),
        SignInProtectionAndEvents(),
        CreateOTPCredentials(),
        DuplicateEmails(),
        CreateClientScopes(),
        RoleAttributes(),
        CreateRealmDocuments(),
        AddKeycloakRealmLayout(),
        CreateAuthorizationServices(),
    ]

    /// Brings the schema up to date (or up to `version`); safe to call on every start.
    public static func migrate(_ database: any Database, upTo version: Int? = nil) async throws {
        try await database.transaction { sql in
            try await takeMigrationLock(on: sql)
            try await sql.create(table: "schema_migrations").ifNotExists()
                .column("version", type: .bigint, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .bigint, .notNull)
                .run()
        }
        for migration in all where migration.version <= version ?? .max {
            try await database.transaction { sql in
                try await takeMigrationLock(on: sql)
                if try await isApplied(migration.version, on: sql) { return }
                try await migration.prepare(on: sql)
                try await sql.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(Int(Date().timeIntervalSince1970)))
                    .run()
            }
        }
    }

    /// Nodes starting at once on one PostgreSQL take turns: each migration's transaction first waits for this
    /// transaction-scoped advisory lock, so the next node finds the migration applied instead of applying it again (and
    /// failing to start). SQLite serialises writers by itself.
    private static func takeMigrationLock(on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(migrationLockKey)))").run()
    }

    /// An arbitrary constant that names "schema migrations of NexusOne" among the database's advisory locks.
    static let migrationLockKey: Int64 = 0x4E58_314D_4947

    /// The version a fully migrated database has, and how many migrations make it.
    public static var latestVersion: Int { all.last?.version ?? 0 }
    public static var migrationCount: Int { all.count }

    /// The highest applied version, or 0 for an empty database.
    public static func currentVersion(_ database: any Database) async throws -> Int {
        try await database.read { sql in
            struct Row: Decodable { let version: Int? }
            let row = try await sql.raw("SELECT MAX(version) AS version FROM schema_migrations").first(decoding: Row.self)
            return row?.version ?? 0
        }
    }

    private static func isApplied(_ version: Int, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("version").from("schema_migrations").where("version", .equal, version).first() != nil
    }
}
