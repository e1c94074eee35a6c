import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/admin/realms/{realm}/users…`: people (and, read-only, service accounts) with their passwords.
struct AdminUsersController: Sendable {
    let users: Users
    let create: CreateUser
    let update: UpdateUser
    let delete: DeleteUser
    let resetPassword: ResetPassword
    let signOut: SignOutUser
    let credentials: PasswordCredentials
    let twoFactor: TwoFactor
    let clock: EpochClock
    let baseURL: String

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.post("", use: createUser)
        group.get("", use: list)
        group.get("count", use: count)
        group.get(":user", use: show)
        group.put(":user", use: updateUser)
        group.delete(":user", use: deleteUser)
        group.put(":user/reset-password", use: reset)
        group.post(":user/logout", use: logout)
        group.get(":user/credentials", use: listCredentials)
        group.delete(":user/credentials/:credential", use: deleteCredential)
    }

    @Sendable func createUser(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: UserRepresentation.self, context: context)
        guard let username = try? Identifier.username(body.username) else { throw AdminError.badRequest("Invalid username") }
        let password: CreateUser.Password = try Self.password(in: body.credentials).map { .given($0.value, temporary: $0.temporary) } ?? .none
        let (user, _) = try await create(
            context.principal, realm: try context.parameters.require("realm"),
            .init(username: username, profile: try Self.profile(body), password: password, roles: body.realmRoles ?? [], groups: body.groups ?? []))
        return createdResponse(request, baseURL: baseURL, id: user.id)
    }

    /// Keycloak's user search: `search`, or the fields `username`, `email`, `firstName`, `lastName` (`exact`), `enabled`,
    /// `emailVerified` and `q=name:value …` on attributes; 100 at a time unless `max` says otherwise.
    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let realm = try context.parameters.require("realm")
        let window = try query.window(defaultMax: 100)
        let found: [User]
        if let wanted = Self.attributeQuery(query.string("q")) {
            // Attributes are matched here, not in SQL: they are JSON whose reading differs per database, and rare.
            let candidates = try await users.search(context.principal, realm: realm, Self.filter(query), window: .all)
            found = window.slice(candidates.filter { user in wanted.allSatisfy { user.attributes[$0.key]?.contains($0.value) == true } })
        } else {
            found = try await users.search(context.principal, realm: realm, Self.filter(query), window: window)
        }
        let brief = query.brief(default: false)
        let withOTP = try await twoFactor.holders(context.principal, realm: realm, among: found.map(\.id))
        return JSONBody.response(found.map { UserRepresentation($0, brief: brief, totp: withOTP.contains($0.id)) })
    }

    @Sendable func count(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(try await users.count(context.principal, realm: try context.parameters.require("realm"), Self.filter(AdminListQuery(request))))
    }

    static func filter(_ query: AdminListQuery) -> UserFilter {
        let parameters: [UserFilter.Field: String] = [.username: "username", .email: "email", .firstName: "firstName", .lastName: "lastName"]
        return UserFilter(
            search: query.userSearch(), fields: parameters.compactMapValues { query.field($0) }, enabled: query.flag("enabled"),
            emailVerified: query.flag("emailVerified"))
    }

    /// `q=name:value name2:value2`: every pair must be among the user's attribute values.
    static func attributeQuery(_ text: String?) -> [String: String]? {
        guard let text else { return nil }
        var pairs: [String: String] = [:]
        for term in text.split(separator: " ") {
            guard let colon = term.firstIndex(of: ":") else { continue }
            pairs[String(term[..<colon])] = String(term[term.index(after: colon)...])
        }
        return pairs.isEmpty ? nil : pairs
    }

    @Sendable func listCredentials(_ request: Request, context: AdminContext) async throws -> Response {
        let (realm, userId) = (try context.parameters.require("realm"), try context.parameters.require("user"))
        let passwords = try await credentials.list(context.principal, realm: realm, userId: userId)
        let authenticators = try await twoFactor.credentials(context.principal, realm: realm, userId: userId)
        return JSONBody.response(passwords.map(StoredCredentialRepresentation.init) + authenticators.map(StoredCredentialRepresentation.init))
    }

    @Sendable func deleteCredential(_ request: Request, context: AdminContext) async throws -> Response {
        let (realm, userId, credentialId) = (
            try context.parameters.require("realm"), try context.parameters.require("user"), try context.parameters.require("credential")
        )
        // A password's id is its user's; anything else names an authenticator.
        if credentialId == userId {
            try await credentials.remove(context.principal, realm: realm, userId: userId, credentialId: credentialId, now: clock.now)
        } else {
            try await twoFactor.remove(context.principal, realm: realm, userId: userId, credentialId: credentialId)
        }
        return Response(status: .noContent)
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        let (realm, id) = (try context.parameters.require("realm"), try context.parameters.require("user"))
        let user = try await users.find(context.principal, realm: realm, id: id)
        // Someone who sees this user through a group's `view-members` permission, but not credentials, gets no `totp`.
        let holders: Set<String>?
        do {
            holders = try await twoFactor.holders(context.principal, realm: realm, among: [id])
        } catch AdministrationError.forbidden {
            holders = nil
        }
        return JSONBody.response(UserRepresentation(user, totp: holders.map { !$0.isEmpty }))
    }

    @Sendable func updateUser(_ request: Request, context: AdminContext) async throws -> Response {
        let (realm, id) = (try context.parameters.require("realm"), try context.parameters.require("user"))
        // As Keycloak: a missing user is 404 whatever the body says.
        let current = try await users.find(context.principal, realm: realm, id: id)
        let body = try await request.decode(as: UserRepresentation.self, context: context)
        if let username = body.username, username.lowercased() != current.username { throw AdminError.badRequest("Usernames cannot be changed") }
        _ = try await update(context.principal, realm: realm, userId: id, try Self.profile(body))
        return Response(status: .noContent)
    }

    @Sendable func deleteUser(_ request: Request, context: AdminContext) async throws -> Response {
        try await delete(context.principal, realm: try context.parameters.require("realm"), userId: try context.parameters.require("user"))
        return Response(status: .noContent)
    }

    @Sendable func reset(_ request: Request, context: AdminContext) async throws -> Response {
        let (realm, userId) = (try context.parameters.require("realm"), try context.parameters.require("user"))
        // Keycloak looks for the user before it reads the password: a missing user is 404 whatever the body says.
        _ = try await users.find(context.principal, realm: realm, id: userId)
        let credential = try await request.decode(as: CredentialRepresentation.self, context: context)
        guard let password = try Self.password(in: [credential]) else { throw AdminError.badRequest("Password required") }
        try await resetPassword(context.principal, realm: realm, userId: userId, password: password.value, temporary: password.temporary)
        return Response(status: .noContent)
    }

    /// Keycloak's "Sign out": every session ends and earlier tokens stop working.
    @Sendable func logout(_ request: Request, context: AdminContext) async throws -> Response {
        try await signOut(context.principal, realm: try context.parameters.require("realm"), userId: try context.parameters.require("user"))
        return Response(status: .noContent)
    }

    /// The password credential of a representation; a credential of another type, or an empty password, is a 400.
    private static func password(in credentials: [CredentialRepresentation]?) throws -> (value: UserPassword, temporary: Bool)? {
        guard let credential = credentials?.first else { return nil }
        guard credential.type == nil || credential.type == "password" else { throw AdminError.badRequest("Only password credentials are supported") }
        guard let value = try? UserPassword(credential.value) else { throw AdminError.badRequest("Invalid password") }
        return (value, credential.temporary ?? false)
    }

    private static func profile(_ body: UserRepresentation) throws -> UserProfile {
        UserProfile(
            email: body.email.map { Optional($0) }, firstName: body.firstName, lastName: body.lastName, enabled: body.enabled,
            emailVerified: body.emailVerified, mustChangePassword: body.requiredActions.map { $0.contains("UPDATE_PASSWORD") },
            attributes: try body.attributes.map { try UserAttributes($0.values) },
            mustConfigureOTP: body.requiredActions.map { $0.contains("CONFIGURE_TOTP") })
    }
}
