import Hummingbird
import Authentication
import Domain
import Storage

/// `grant_type=password` (direct access grant): checks the user's password and opens a session.
struct PasswordGrant: Sendable {
    let services: RealmServices

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard client.directAccessGrantsEnabled else { throw OAuthError.unauthorizedClient("Client not allowed for direct access grants") }
        let scope = try GrantedScope(requested: form["scope"])
        let attempt = UserLogin.attempt(realm: realm.realm.name, username: form["username"], address: remoteAddress)
        if let wait = services.throttle.retryAfter(attempt) { throw OAuthError.tooManyRequests(retryAfter: wait) }
        let user = try await UserLogin(services: services).check(
            realm: realm.realm.name, username: form["username"], password: form["password"], attempt: attempt
        ).user
        guard !user.mustChangePassword else { throw OAuthError.invalidGrant("Account is not fully set up") }
        return try await SessionOpener(services: services).open(
            user: user, client: client, scope: scope, nonce: nil, realm: realm, remoteAddress: remoteAddress)
    }
}

/// Checks a username and password; every failure looks the same to the caller.
struct UserLogin: Sendable {
    let services: RealmServices

    static func attempt(realm: String, username: String?, address: String) -> FailureThrottle.Attempt {
        FailureThrottle.Attempt(credential: "user:\(realm)/\(username?.lowercased() ?? "")", address: address)
    }

    /// The user and the hash their password matched.
    func check(realm: String, username: String?, password: String?, attempt: FailureThrottle.Attempt) async throws -> UserStore.Credentials {
        let username = username ?? ""
        let credentials = Names.isValidIdentifier(username)
            ? try await services.database.read { sql in try await UserStore(sql).credentials(realm: realm, username: username) }
            : Optional<UserStore.Credentials>.none
        let matches = try await services.passwords.verify(password ?? "", hash: credentials?.passwordHash)
        guard let credentials, matches, credentials.user.serviceAccountClientId == nil else {
            services.throttle.recordFailure(attempt)
            throw OAuthError(status: .unauthorized, error: "invalid_grant", description: "Invalid user credentials")
        }
        services.throttle.recordSuccess(attempt)
        guard credentials.user.enabled else { throw OAuthError.invalidGrant("Account disabled") }
        return credentials
    }
}

/// Creates a login session and issues its first tokens.
struct SessionOpener: Sendable {
    let services: RealmServices

    func open(user: User, client: Client, scope: GrantedScope, nonce: String?, realm: RealmDirectory.Entry, remoteAddress: String) async throws
        -> TokenResponse
    {
        let session = try await create(user: user, client: client, scope: scope, realm: realm.realm)
        let roles = try await services.database.read { sql in try await SubjectLoader.roles(of: user.id, on: sql) }
        let subject = TokenSubject(
            user: user, client: client, realmRoles: roles.realm, clientRoles: roles.clients, scope: scope,
            session: .init(id: session.id, refreshId: session.refreshId, nonce: nonce), remoteAddress: remoteAddress)
        return try await services.issuer.issue(subject, realm: realm)
    }

    func create(user: User, client: Client, scope: GrantedScope, realm: Realm) async throws -> LoginSession {
        let now = services.clock.now
        let session = LoginSession(
            id: Identifiers.uuid(), realm: realm.name, userId: user.id, clientId: client.clientId, scope: scope.description, createdAt: now,
            expiresAt: now.addingSaturated(realm.refreshTokenLifespan), refreshId: Identifiers.uuid())
        try await services.database.transaction { sql in try await SessionStore(sql).insert(session) }
        return session
    }
}
