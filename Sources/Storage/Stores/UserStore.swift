import Domain
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
        var createdAt: Int

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
            createdAt = user.createdAt
        }

        var user: User {
            User(
                id: id, realm: realm, username: username, email: email, firstName: firstName, lastName: lastName, enabled: enabled,
                emailVerified: emailVerified, serviceAccountClientId: serviceAccountClientId, mustChangePassword: mustChangePassword,
                createdAt: createdAt)
        }
    }

    /// A user with the stored password hash, for password checks only.
    public struct Credentials: Sendable {
        public var user: User
        public var passwordHash: String?
    }

    public func insert(_ user: User, passwordHash: String?) async throws {
        try await sql.insert(into: "users").model(Row(user, passwordHash: passwordHash), with: Codecs.encoder).run()
    }

    public func find(realm: String, id: String) async throws -> User? {
        try await sql.select().column("*").from("users").where("realm", .equal, realm).where("id", .equal, id)
            .first(decoding: Row.self, with: Codecs.decoder)?.user
    }

    /// Usernames are matched case-insensitively, as Keycloak stores them in lower case.
    public func credentials(realm: String, username: String) async throws -> Credentials? {
        try await sql.select().column("*").from("users").where("realm", .equal, realm).where("username", .equal, username.lowercased())
            .first(decoding: Row.self, with: Codecs.decoder).map { Credentials(user: $0.user, passwordHash: $0.passwordHash) }
    }

    public func credentials(realm: String, id: String) async throws -> Credentials? {
        try await sql.select().column("*").from("users").where("realm", .equal, realm).where("id", .equal, id)
            .first(decoding: Row.self, with: Codecs.decoder).map { Credentials(user: $0.user, passwordHash: $0.passwordHash) }
    }

    public func serviceAccount(clientInternalId: String) async throws -> User? {
        try await sql.select().column("*").from("users").where("service_account_client_id", .equal, clientInternalId)
            .first(decoding: Row.self, with: Codecs.decoder)?.user
    }

    /// `exact` matches the username only; otherwise `search` is a substring of username, email or names.
    public func search(realm: String, username: String?, search: String?, exact: Bool, first: Int, max: Int) async throws -> [User] {
        let query = sql.select().column("*").from("users").where("realm", .equal, realm)
        if let username {
            if exact {
                query.where("username", .equal, username.lowercased())
            } else {
                query.where("username", .like, "%\(username.lowercased())%")
            }
        }
        if let search, !search.isEmpty, search != "*" {
            let pattern = "%\(search.lowercased())%"
            query.where { group in
                group.where("username", .like, pattern).orWhere(SQLFunction("lower", args: SQLColumn("email")), .like, SQLBind(pattern))
                    .orWhere(SQLFunction("lower", args: SQLColumn("first_name")), .like, SQLBind(pattern))
                    .orWhere(SQLFunction("lower", args: SQLColumn("last_name")), .like, SQLBind(pattern))
            }
        }
        return try await query.orderBy("username").offset(first).limit(max).all(decoding: Row.self, with: Codecs.decoder).map(\.user)
    }

    public func update(_ user: User) async throws {
        try await sql.update("users")
            .set("email", to: user.email)
            .set("first_name", to: user.firstName)
            .set("last_name", to: user.lastName)
            .set("enabled", to: user.enabled)
            .set("email_verified", to: user.emailVerified)
            .set("must_change_password", to: user.mustChangePassword)
            .where("id", .equal, user.id)
            .run()
    }

    public func setPassword(id: String, hash: String, mustChange: Bool) async throws {
        try await sql.update("users").set("password_hash", to: hash).set("must_change_password", to: mustChange).where("id", .equal, id).run()
    }

    /// The password a user who must change theirs chose, stored only while `expected` is still the stored hash: one
    /// statement checks and changes, so two submissions of one pending change cannot both succeed.
    public func replaceRequiredPassword(id: String, expected: String, with hash: String) async throws -> Bool {
        let changed = try await sql.update("users").set("password_hash", to: hash).set("must_change_password", to: false)
            .where("id", .equal, id).where("password_hash", .equal, expected).where("must_change_password", .equal, true)
            .returning("id").all()
        return !changed.isEmpty
    }

    /// Refuses the user's access tokens issued before `time` (epoch seconds), on every node once announced.
    public func refuseTokens(of id: String, issuedBefore time: Int) async throws {
        try await sql.update("users").set("not_before", to: time).where("id", .equal, id).run()
    }

    /// Users of the realm whose tokens are refused before some time after `since`, by id.
    public func tokenCutOffs(realm: String, after since: Int) async throws -> [String: Int] {
        let rows = try await sql.select().columns("id", "not_before").from("users").where("realm", .equal, realm).where("not_before", .greaterThan, since)
            .all()
        var cutOffs: [String: Int] = [:]
        for row in rows { cutOffs[try row.decode(column: "id", as: String.self)] = try row.decode(column: "not_before", as: Int.self) }
        return cutOffs
    }

    public func delete(id: String) async throws {
        try await sql.delete(from: "users").where("id", .equal, id).run()
    }
}
