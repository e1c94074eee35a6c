import Domain
import Foundation
import SQLKit

/// Users of a realm; passwords only as hashes.
public struct UserStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    struct Row: Codable {
        var id: String
        var realm: String
        var username: String
        var email: String?
        var firstName: String?
        var lastName: String?
        var enabled: Bool
        var emailVerified: Bool
        var passwordHash: String?
        var serviceAccountClientId: String?
        var mustChangePassword: Bool
        var mustConfigureOtp: Bool
        var createdAt: Int
        /// JSON; absent for a user without attributes.
        var attributes: String?
        var passwordSetAt: Int?

        init(_ user: User, passwordHash: String?) {
            id = user.id
            realm = user.realm
            username = user.username
            email = user.email
            firstName = user.firstName
            lastName = user.lastName
            enabled = user.enabled
            emailVerified = user.emailVerified
            self.passwordHash = passwordHash
            serviceAccountClientId = user.serviceAccountClientId
            mustChangePassword = user.mustChangePassword
            mustConfigureOtp = user.mustConfigureOTP
            createdAt = user.createdAt
            attributes = AttributesColumn.encode(user.attributes)
            passwordSetAt = passwordHash == nil ? nil : user.createdAt
        }

        var credentials: Credentials { Credentials(user: user, passwordHash: passwordHash, passwordSetAt: passwordSetAt) }

        var user: User {
            User(
                id: id, realm: realm, username: username, email: email, firstName: firstName, lastName: lastName, enabled: enabled,
                emailVerified: emailVerified, serviceAccountClientId: serviceAccountClientId, mustChangePassword: mustChangePassword,
                createdAt: createdAt, attributes: AttributesColumn.decode(attributes), mustConfigureOTP: mustConfigureOtp)
        }
    }

    /// A user with the stored password hash, for password checks only.
    public struct Credentials: Sendable {
        public var user: User
        public var passwordHash: String?
        public var passwordSetAt: Int?
    }

    public func insert(_ user: User, passwordHash: String?) async throws {
        try await sql.insert(into: "users").model(Row(user, passwordHash: passwordHash), with: Codecs.encoder).run()
    }

    /// Inserts unless a user with that id or username exists (the caller then reads who is there): two first sightings
    /// of one federated user at once insert one row, on PostgreSQL without aborting the other's transaction.
    public func insertIfAbsent(_ user: User) async throws {
        try await sql.insert(into: "users").model(Row(user, passwordHash: nil), with: Codecs.encoder).ignoringConflicts().run()
    }

    public func find(realm: String, id: String) async throws -> User? {
        try await sql.select().column("*").from("users").where("realm", .equal, realm).where("id", .equal, id)
            .first(decoding: Row.self, with: Codecs.decoder)?.user
    }

    /// Usernames are matched case-insensitively, as Keycloak stores them in lower case.
    public func credentials(realm: String, username: String) async throws -> Credentials? {
        try await sql.select().column("*").from("users").where("realm", .equal, realm).where("username", .equal, username.lowercased())
            .first(decoding: Row.self, with: Codecs.decoder).map(\.credentials)
    }

    public func credentials(realm: String, id: String) async throws -> Credentials? {
        try await sql.select().column("*").from("users").where("realm", .equal, realm).where("id", .equal, id)
            .first(decoding: Row.self, with: Codecs.decoder).map(\.credentials)
    }

    public func serviceAccount(clientInternalId: String) async throws -> User? {
        try await sql.select().column("*").from("users").where("service_account_client_id", .equal, clientInternalId)
            .first(decoding: Row.self, with: Codecs.decoder)?.user
    }

    /// Every user of a realm with their password hash, service accounts included, by username (`realm export`).
    public func everyone(realm: String) async throws -> [Credentials] {
        try await sql.select().column("*").from("users").where("realm", .equal, realm).orderBy("username")
            .all(decoding: Row.self, with: Codecs.decoder).map(\.credentials)
    }

    /// Users matching every given part of `filter`, by username, within `window`.
    public func search(realm: String, _ filter: UserFilter, window: ListWindow) async throws -> [User] {
        let query = sql.select().column("*").from("users")
        filter.apply(to: query, realm: realm)
        return try await query.orderBy("username").window(window).all(decoding: Row.self, with: Codecs.decoder).map(\.user)
    }

    public func count(realm: String, _ filter: UserFilter) async throws -> Int {
        let query = sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("users")
        filter.apply(to: query, realm: realm)
        return try await query.first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// A user by username (case-insensitively), service accounts included.
    public func find(realm: String, username: String) async throws -> User? {
        try await credentials(realm: realm, username: username)?.user
    }

    /// Sets only the given fields of a user of `realm`, in one statement, and returns the user as it is then: two
    /// administrators changing different fields at once do not undo each other's change. Nil when no such user.
    public func change(
        realm: String, id: String, email: String??, firstName: String?, lastName: String?, enabled: Bool?, emailVerified: Bool?,
        mustChangePassword: Bool?, attributes: [String: [String]]? = nil, mustConfigureOTP: Bool? = nil
    ) async throws -> User? {
        let update = sql.update("users")
        var changed = false
        func set(_ column: String, _ value: (some Encodable & Sendable)?) {
            guard let value else { return }
            update.set(column, to: value)
            changed = true
        }
        if let email { update.set("email", to: email.flatMap { $0.isEmpty ? nil : $0 }); changed = true }
        set("first_name", firstName)
        set("last_name", lastName)
        set("enabled", enabled)
        set("email_verified", emailVerified)
        set("must_change_password", mustChangePassword)
        set("must_configure_otp", mustConfigureOTP)
        if let attributes { update.set("attributes", to: AttributesColumn.encode(attributes)); changed = true }
        guard changed else { return try await find(realm: realm, id: id) }
        return try await update.where("realm", .equal, realm).where("id", .equal, id).returning(SQLLiteral.all)
            .first(decoding: Row.self, with: Codecs.decoder)?.user
    }

    /// The user's enabled flag and password hash, with their row locked until the transaction ends (a write that
    /// changes nothing takes PostgreSQL's row lock; SQLite's write transactions are serial anyway). A session opened
    /// after this sees every password reset and disabling that committed before, and one that commits after waits for
    /// the session and then ends it.
    public func lockSignIn(realm: String, id: String) async throws -> (enabled: Bool, passwordHash: String?)? {
        struct State: Decodable {
            var enabled: Bool
            var passwordHash: String?
        }
        return try await sql.update("users").set(SQLIdentifier("id"), to: SQLIdentifier("id")).where("realm", .equal, realm).where("id", .equal, id)
            .returning("enabled", "password_hash").first(decoding: State.self, with: Codecs.decoder).map { ($0.enabled, $0.passwordHash) }
    }

    /// Whether another user of the realm than `exceptId` has this e-mail address, compared without case.
    public func emailTaken(realm: String, email: String, exceptId: String) async throws -> Bool {
        try await sql.select().column("id").from("users").where("realm", .equal, realm)
            .where(SQLFunction("lower", args: SQLColumn("email")), .equal, SQLBind(email.lowercased())).where("id", .notEqual, exceptId)
            .limit(1).first() != nil
    }

    public func setPassword(id: String, hash: String, mustChange: Bool, at now: Int) async throws {
        try await sql.update("users").set("password_hash", to: hash).set("must_change_password", to: mustChange).set("password_set_at", to: now)
            .where("id", .equal, id).run()
    }

    /// Removes the user's password (admin REST credential delete): they can no longer sign in with one.
    public func removePassword(id: String) async throws {
        try await sql.update("users").set("password_hash", to: SQLLiteral.null).set("password_set_at", to: SQLLiteral.null)
            .set("must_change_password", to: false).where("id", .equal, id).run()
    }

    /// The password a user who must change theirs chose, stored only while `expected` is still the stored hash: one
    /// statement checks and changes, so two submissions of one pending change cannot both succeed.
    public func replaceRequiredPassword(id: String, expected: String, with hash: String, at now: Int) async throws -> Bool {
        let changed = try await sql.update("users").set("password_hash", to: hash).set("must_change_password", to: false).set("password_set_at", to: now)
            .where("id", .equal, id).where("password_hash", .equal, expected).where("must_change_password", .equal, true)
            .returning("id").all()
        return !changed.isEmpty
    }

    /// Marks the user's password as one to change at the next sign-in (an expired password, by the realm's policy).
    public func requirePasswordChange(id: String) async throws {
        try await sql.update("users").set("must_change_password", to: true).where("id", .equal, id).run()
    }

    /// Replaces an imported hash that just verified by one of ours, unless the password changed meanwhile.
    public func rehash(id: String, expected: String, with hash: String) async throws {
        try await sql.update("users").set("password_hash", to: hash).where("id", .equal, id).where("password_hash", .equal, expected).run()
    }

    public func delete(id: String) async throws {
        try await sql.delete(from: "users").where("id", .equal, id).run()
    }
}
