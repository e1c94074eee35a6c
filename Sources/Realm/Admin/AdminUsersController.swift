import Authentication
import Domain
import Hummingbird
import SQLKit
import Storage

/// `/admin/realms/{realm}/users…`: people (and, read-only, service accounts) with their passwords.
struct AdminUsersController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.post("", use: create)
        group.get("", use: list)
        group.get("count", use: count)
        group.get(":user", use: show)
        group.put(":user", use: update)
        group.delete(":user", use: delete)
        group.put(":user/reset-password", use: resetPassword)
        group.post(":user/logout", use: logout)
    }

    @Sendable func create(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await services.administeredRealm(context)
        let body = try await AdminBody.decode(UserRepresentation.self, from: request)
        guard let username = body.username, Names.isValidIdentifier(username) else { throw AdminError.badRequest("Invalid username") }
        var user = User(id: Identifiers.uuid(), realm: realm.name, username: username.lowercased(), createdAt: services.clock.now)
        Self.apply(body, to: &user)
        let password = try Self.password(in: body.credentials)
        var hash: String?
        if let password { hash = try await services.passwords.hash(password.value) }
        user.mustChangePassword = password?.temporary ?? false
        let newUser = user
        let passwordHash = hash
        let roles = [NexusOneRoles.defaultComposite(realm: realm.name)] + (body.realmRoles ?? [])
        let clock = services.clock
        do {
            try await services.database.transaction { sql in
                try await UserStore(sql).insert(newUser, passwordHash: passwordHash)
                try await UserProvisioner(clock: clock).grant(roles, to: newUser.id, realm: realm.name, on: sql)
            }
        } catch StorageError.duplicate {
            throw AdminError.conflict("User exists with same username")
        }
        return services.created(request, id: user.id)
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await services.administeredRealm(context)
        let query = request.uri.queryParameters
        let username = query["username"].map(String.init)
        let search = query["search"].map(String.init) ?? query["email"].map(String.init)
        let exact = query["exact"] == "true"
        let first = query["first"].flatMap { Int($0) }.map { max(0, $0) } ?? 0
        let maximum = query["max"].flatMap { Int($0) }.map { min(max(1, $0), 1000) } ?? 100
        let users = try await services.database.read { sql in
            try await UserStore(sql).search(realm: realm.name, username: username, search: search, exact: exact, first: first, max: maximum)
        }
        return JSONBody.response(users.map(UserRepresentation.init))
    }

    @Sendable func count(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await services.administeredRealm(context)
        let users = try await services.database.read { sql in
            try await UserStore(sql).search(realm: realm.name, username: nil, search: nil, exact: false, first: 0, max: Int(Int32.max))
        }
        return JSONBody.response(users.count)
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(UserRepresentation(try await user(context)))
    }

    @Sendable func update(_ request: Request, context: AdminContext) async throws -> Response {
        var user = try await user(context)
        let body = try await AdminBody.decode(UserRepresentation.self, from: request)
        if let username = body.username, username.lowercased() != user.username { throw AdminError.badRequest("Usernames cannot be changed") }
        Self.apply(body, to: &user)
        if let actions = body.requiredActions { user.mustChangePassword = actions.contains("UPDATE_PASSWORD") }
        let updated = user
        let now = services.clock.now
        try await services.changes.commit(in: services.database) { sql in
            try await UserStore(sql).update(updated)
            if !updated.enabled { try await Self.endAccess(of: updated.id, now: now, on: sql) }
        }
        return Response(status: .noContent)
    }

    /// Keycloak's "Sign out" of a user: every session ends, and tokens issued so far are refused on every node.
    @Sendable func logout(_ request: Request, context: AdminContext) async throws -> Response {
        let user = try await user(context)
        let now = services.clock.now
        try await services.changes.commit(in: services.database) { sql in try await Self.endAccess(of: user.id, now: now, on: sql) }
        return Response(status: .noContent)
    }

    /// Ends the user's sessions and refuses their access tokens issued up to now (`not_before` is the next second, so a
    /// token issued in this very second is refused too).
    static func endAccess(of userId: String, now: Int, on sql: any SQLDatabase) async throws {
        try await SessionStore(sql).endAll(userId: userId)
        try await UserStore(sql).refuseTokens(of: userId, issuedBefore: now + 1)
    }

    @Sendable func delete(_ request: Request, context: AdminContext) async throws -> Response {
        let user = try await user(context)
        guard user.serviceAccountClientId == nil else { throw AdminError.badRequest("Service accounts are deleted with their client") }
        try await services.database.transaction { sql in try await UserStore(sql).delete(id: user.id) }
        return Response(status: .noContent)
    }

    @Sendable func resetPassword(_ request: Request, context: AdminContext) async throws -> Response {
        let user = try await user(context)
        let credential = try await AdminBody.decode(CredentialRepresentation.self, from: request)
        guard let password = try Self.password(in: [credential]) else { throw AdminError.badRequest("Password required") }
        let hash = try await services.passwords.hash(password.value)
        let now = services.clock.now
        try await services.changes.commit(in: services.database) { sql in
            try await UserStore(sql).setPassword(id: user.id, hash: hash, mustChange: password.temporary)
            try await Self.endAccess(of: user.id, now: now, on: sql)
        }
        return Response(status: .noContent)
    }

    private func user(_ context: AdminContext) async throws -> User {
        let realm = try await services.administeredRealm(context)
        let id = try context.parameters.require("user")
        guard let user = try await services.database.read({ sql in try await UserStore(sql).find(realm: realm.name, id: id) }) else {
            throw AdminError.notFound("User not found")
        }
        return user
    }

    /// The password credential of a representation; a credential of another type, or an empty password, is a 400.
    private static func password(in credentials: [CredentialRepresentation]?) throws -> (value: String, temporary: Bool)? {
        guard let credential = credentials?.first else { return nil }
        guard credential.type == nil || credential.type == "password" else { throw AdminError.badRequest("Only password credentials are supported") }
        guard let value = credential.value, !value.isEmpty, value.utf8.count <= 1024 else { throw AdminError.badRequest("Invalid password") }
        return (value, credential.temporary ?? false)
    }

    private static func apply(_ body: UserRepresentation, to user: inout User) {
        if let email = body.email { user.email = email.isEmpty ? nil : email }
        if let firstName = body.firstName { user.firstName = firstName }
        if let lastName = body.lastName { user.lastName = lastName }
        if let enabled = body.enabled { user.enabled = enabled }
        if let verified = body.emailVerified { user.emailVerified = verified }
    }
}
