import Domain
import SQLKit

/// Pre-shared keys and their secrets (SHA-256 only).
public struct PSKStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// A key found by the hash of a presented secret, with what verification needs about its owner.
    public struct Match: Sendable, Decodable {
        public var key: PreSharedKey
        /// When the presented secret stops working although the key lives on (regenerated with a grace period).
        public var retireAt: Int?
        public var username: String
        public var userEnabled: Bool
    }

    public func insert(_ key: PreSharedKey, secretHash: String) async throws {
        try await sql.insert(into: "psks").model(key, with: Codecs.encoder).run()
        try await addSecret(keyId: key.id, hash: secretHash, now: key.createdAt)
    }

    public func addSecret(keyId: String, hash: String, now: Int) async throws {
        try await sql.insert(into: "psk_secrets").columns("hash", "psk_id", "retire_at", "created_at")
            .values(SQLBind(hash), SQLBind(keyId), SQLLiteral.null, SQLBind(now)).run()
    }

    /// Ends the key's current secrets at `at` (grace period) or at once (nil).
    public func retireSecrets(keyId: String, at: Int?) async throws {
        if let at {
            try await sql.update("psk_secrets").set("retire_at", to: at).where("psk_id", .equal, keyId)
                .where { $0.where("retire_at", .is, SQLLiteral.null).orWhere("retire_at", .greaterThan, at) }.run()
        } else {
            try await sql.delete(from: "psk_secrets").where("psk_id", .equal, keyId).run()
        }
    }

    public func find(id: String) async throws -> PreSharedKey? {
        try await sql.select().column("*").from("psks").where("id", .equal, id).first(decoding: PreSharedKey.self, with: Codecs.decoder)
    }

    /// The user's Personal PSK, if any. Every query by user names the realm too: a user id alone is not where a
    /// realm's boundary should rest.
    public func personal(userId: String, realm: String) async throws -> PreSharedKey? {
        try await sql.select().column("*").from("psks").where("realm", .equal, realm).where("user_id", .equal, userId).where("kind", .equal, PSKKind.personal.rawValue)
            .where("is_deleted", .equal, false).first(decoding: PreSharedKey.self, with: Codecs.decoder)
    }

    /// Every key of a realm that is not deleted, newest first, with owners' usernames.
    public func all(realm: String) async throws -> [OwnedKey] {
        let rows = try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("psks"))).column(SQLColumn("username", table: "users"))
            .from("psks").join("users", on: SQLColumn("user_id", table: "psks"), .equal, SQLColumn("id", table: "users"))
            .where(SQLColumn("realm", table: "psks"), .equal, SQLBind(realm)).where(SQLColumn("is_deleted", table: "psks"), .equal, SQLBind(false))
            .orderBy(SQLOrderBy(expression: SQLColumn("created_at", table: "psks"), direction: SQLDirection.descending)).all()
        return try rows.map { row in
            OwnedKey(key: try row.decode(model: PreSharedKey.self, with: Codecs.decoder), username: try row.decode(column: "username", as: String.self))
        }
    }

    /// The key whose live or grace-period secret has this hash.
    public func match(hash: String) async throws -> Match? {
        guard
            let row = try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("psks")))
                .column(SQLColumn("retire_at", table: "psk_secrets")).column(SQLColumn("username", table: "users"))
                .column(SQLAlias(SQLColumn("enabled", table: "users"), as: SQLIdentifier("user_enabled")))
                .from("psk_secrets").join("psks", on: SQLColumn("psk_id", table: "psk_secrets"), .equal, SQLColumn("id", table: "psks"))
                .join("users", on: SQLColumn("user_id", table: "psks"), .equal, SQLColumn("id", table: "users"))
                .where(SQLColumn("hash", table: "psk_secrets"), .equal, SQLBind(hash)).first()
        else { return nil }
        return Match(
            key: try row.decode(model: PreSharedKey.self, with: Codecs.decoder), retireAt: try row.decode(column: "retire_at", as: Int?.self),
            username: try row.decode(column: "username", as: String.self), userEnabled: try row.decode(column: "user_enabled", as: Bool.self))
    }

    public func touch(id: String, at: Int, address: String) async throws {
        try await sql.update("psks").set("last_used_at", to: at).set("last_used_ip", to: address).where("id", .equal, id).run()
    }

    /// The first step of a regenerate: the user's Personal PSK gets the new secret's hint. Being a write, it also takes
    /// the key's row lock on PostgreSQL, so simultaneous regenerates run one after the other and only the last secret
    /// stays live (SQLite serialises write transactions anyway).
    public func reissuePersonal(userId: String, realm: String, at: Int, hint: String) async throws -> PreSharedKey? {
        try await sql.update("psks").set("updated_at", to: at).set("hint", to: hint)
            .where("realm", .equal, realm).where("user_id", .equal, userId).where("kind", .equal, PSKKind.personal.rawValue).where("is_deleted", .equal, false)
            .returning(SQLLiteral.all).first(decoding: PreSharedKey.self, with: Codecs.decoder)
    }

    /// Deletes the user's Personal PSK and returns what it was (nil: there was none, or a simultaneous delete won).
    public func deletePersonal(userId: String, realm: String) async throws -> PreSharedKey? {
        try await sql.delete(from: "psks").where("realm", .equal, realm).where("user_id", .equal, userId).where("kind", .equal, PSKKind.personal.rawValue)
            .where("is_deleted", .equal, false).returning(SQLLiteral.all).first(decoding: PreSharedKey.self, with: Codecs.decoder)
    }

    /// Revocation by an administrator: the key stays listed but never works again. Its secrets stay (hashed) so a
    /// later attempt with it is audited against its realm and key. Nil when no live key of the realm has that id.
    public func deactivate(id: String, realm: String, at: Int) async throws -> PreSharedKey? {
        try await sql.update("psks").set("is_active", to: false).set("updated_at", to: at)
            .where("id", .equal, id).where("realm", .equal, realm).where("is_deleted", .equal, false)
            .returning(SQLLiteral.all).first(decoding: PreSharedKey.self, with: Codecs.decoder)
    }

    /// Revokes, as `deactivate` does, every live key of the user in the realm (whatever its kind), and returns them.
    public func deactivateAll(userId: String, realm: String, at: Int) async throws -> [PreSharedKey] {
        try await sql.update("psks").set("is_active", to: false).set("updated_at", to: at)
            .where("realm", .equal, realm).where("user_id", .equal, userId).where("is_active", .equal, true).where("is_deleted", .equal, false)
            .returning(SQLLiteral.all).all(decoding: PreSharedKey.self, with: Codecs.decoder)
    }

    /// Revokes, as `deactivate` does, the live keys whose creation `keyId` authenticated, and returns them.
    public func deactivateMinted(through keyId: String, at: Int) async throws -> [PreSharedKey] {
        try await sql.update("psks").set("is_active", to: false).set("updated_at", to: at)
            .where("created_by_key_id", .equal, keyId).where("is_active", .equal, true).where("is_deleted", .equal, false)
            .returning(SQLLiteral.all).all(decoding: PreSharedKey.self, with: Codecs.decoder)
    }

    /// Data-product keys are deleted softly: still listed with `include_deleted`, never usable again. Nil when the key
    /// was deleted already (by a simultaneous request, say).
    @discardableResult
    public func softDelete(id: String, at: Int) async throws -> PreSharedKey? {
        let deleted = try await sql.update("psks").set("is_deleted", to: true).set("deleted_at", to: at).set("updated_at", to: at)
            .where("id", .equal, id).where("is_deleted", .equal, false)
            .returning(SQLLiteral.all).first(decoding: PreSharedKey.self, with: Codecs.decoder)
        try await retireSecrets(keyId: id, at: nil)
        return deleted
    }

    /// A data product's keys (optionally with deleted ones), newest first.
    public func forDataProducts(_ productIds: [String], includeDeleted: Bool) async throws -> [PreSharedKey] {
        guard !productIds.isEmpty else { return [] }
        let query = sql.select().column("*").from("psks").where("data_product_id", .in, productIds)
        if !includeDeleted { query.where("is_deleted", .equal, false) }
        return try await query.orderBy("created_at", .descending).all(decoding: PreSharedKey.self, with: Codecs.decoder)
    }

    /// Moves a live key's end by `seconds`, from now or from its current end, whichever is later — in one statement, so
    /// simultaneous extensions add up instead of overwriting each other.
    public func extend(id: String, by seconds: Int, at now: Int) async throws -> PreSharedKey? {
        let later: SQLQueryString = "CASE WHEN expires_at IS NOT NULL AND expires_at > \(bind: now) THEN expires_at ELSE \(bind: now) END + \(bind: seconds)"
        return try await sql.update("psks").set(SQLIdentifier("expires_at"), to: later).set("updated_at", to: now)
            .where("id", .equal, id).where("is_deleted", .equal, false)
            .returning(SQLLiteral.all).first(decoding: PreSharedKey.self, with: Codecs.decoder)
    }
}
