import Domain
import SQLKit

/// Realms: create, read, update, delete.
public struct RealmStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    struct Row: Codable {
        var name: String
        var enabled: Bool
        var accessTokenLifespan: Int
        var refreshTokenLifespan: Int
        var signingAlgorithm: String
        var notBefore: Int
        var createdAt: Int
        var passwordPolicy: String
        /// JSON of `BruteForcePolicy`, `EventsConfig` and `RequiredActions`; empty for their defaults.
        var bruteForce: String
        var eventsConfig: String
        var requiredActions: String
        var otpPolicy: String
        var duplicateEmailsAllowed: Bool

        init(_ realm: Realm) {
            name = realm.name
            enabled = realm.enabled
            accessTokenLifespan = realm.accessTokenLifespan
            refreshTokenLifespan = realm.refreshTokenLifespan
            signingAlgorithm = realm.signingAlgorithm.rawValue
            notBefore = realm.notBefore
            createdAt = realm.createdAt
            passwordPolicy = realm.passwordPolicy
            bruteForce = JSONColumn.text(realm.bruteForce)
            eventsConfig = JSONColumn.text(realm.events)
            requiredActions = JSONColumn.text(realm.requiredActions)
            otpPolicy = JSONColumn.text(realm.otpPolicy)
            duplicateEmailsAllowed = realm.duplicateEmailsAllowed
        }

        var realm: Realm {
            Realm(
                name: name, enabled: enabled, accessTokenLifespan: accessTokenLifespan, refreshTokenLifespan: refreshTokenLifespan,
                signingAlgorithm: SigningAlgorithm(rawValue: signingAlgorithm) ?? .rs256, notBefore: notBefore, createdAt: createdAt,
                passwordPolicy: passwordPolicy, bruteForce: JSONColumn.value(bruteForce) ?? BruteForcePolicy(),
                events: JSONColumn.value(eventsConfig) ?? EventsConfig(), requiredActions: JSONColumn.value(requiredActions) ?? RequiredActions(),
                otpPolicy: JSONColumn.value(otpPolicy) ?? OTPPolicy(), duplicateEmailsAllowed: duplicateEmailsAllowed)
        }
    }

    public func insert(_ realm: Realm) async throws {
        try await sql.insert(into: "realms").model(Row(realm), with: Codecs.encoder).run()
    }

    public func find(_ name: String) async throws -> Realm? {
        try await sql.select().column("*").from("realms").where("name", .equal, name).first(decoding: Row.self, with: Codecs.decoder)?.realm
    }

    public func all() async throws -> [Realm] {
        try await sql.select().column("*").from("realms").orderBy("created_at").orderBy("name").all(decoding: Row.self, with: Codecs.decoder)
            .map(\.realm)
    }

    public func update(_ realm: Realm) async throws {
        try await sql.update("realms")
            .set("enabled", to: realm.enabled)
            .set("access_token_lifespan", to: realm.accessTokenLifespan)
            .set("refresh_token_lifespan", to: realm.refreshTokenLifespan)
            .set("signing_algorithm", to: realm.signingAlgorithm.rawValue)
            .set("not_before", to: realm.notBefore)
            .set("password_policy", to: realm.passwordPolicy)
            .set("brute_force", to: JSONColumn.text(realm.bruteForce))
            .set("events_config", to: JSONColumn.text(realm.events))
            .set("required_actions", to: JSONColumn.text(realm.requiredActions))
            .set("otp_policy", to: JSONColumn.text(realm.otpPolicy))
            .set("duplicate_emails_allowed", to: realm.duplicateEmailsAllowed)
            .where("name", .equal, realm.name)
            .run()
    }

    /// The realm, its row locked until the transaction ends (a write that changes nothing takes PostgreSQL's row lock;
    /// SQLite's writes are serial anyway): a rule across the realm's users — one e-mail address per user — is checked
    /// and written by one change at a time.
    public func lock(_ name: String) async throws -> Realm? {
        try await sql.update("realms").set(SQLIdentifier("name"), to: SQLIdentifier("name")).where("name", .equal, name)
            .returning(SQLLiteral.all).first(decoding: Row.self, with: Codecs.decoder)?.realm
    }

    public func delete(_ name: String) async throws {
        try await sql.delete(from: "realms").where("name", .equal, name).run()
    }
}
