import Domain
import HTTPKit
import Hummingbird
import Identity
import Storage
import UseCases

/// `grant_type=password` (direct access grant): checks the user's password and opens a session (`OpenSession`).
struct PasswordGrant: Sendable {
    let login: UserLogin
    let openSession: OpenSession
    let roles: EffectiveRoles
    let issuer: TokenIssuer

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard client.directAccessGrantsEnabled else { throw OAuthError.unauthorizedClient("Client not allowed for direct access grants") }
        let scope = try GrantedScope(requested: form["scope"])
        let attempt = UserLogin.attempt(realm: realm.realm.name, username: form["username"], address: remoteAddress)
        if let wait = login.throttle.retryAfter(attempt) { throw OAuthError.tooManyRequests(retryAfter: wait) }
        let user: User
        do {
            user = try await login.check(realm: realm.realm.name, username: form["username"], password: form["password"], attempt: attempt).user
        } catch is HashingPool.Busy {
            throw OAuthError.busy
        }
        guard !user.mustChangePassword else { throw OAuthError.invalidGrant("Account is not fully set up") }
        let session = try await openSession(user: user, clientId: client.clientId, scope: scope.stored, realm: realm.realm)
        let roles = try await roles(userId: user.id)
        let subject = TokenSubject(
            user: user, client: client, realmRoles: roles.realm, clientRoles: roles.clients, scope: scope,
            session: .init(id: session.id, refreshId: session.refreshId, nonce: nil), remoteAddress: remoteAddress)
        return try await issuer.issue(subject, realm: realm)
    }
}

/// Checks a username and password; every failure looks the same to the caller, and each one counts for the throttle.
/// A password that matched a hash imported from Keycloak is rehashed with bcrypt on the spot.
struct UserLogin: Sendable {
    let database: any Database
    let passwords: PasswordHasher
    let throttle: FailureThrottle

    static func attempt(realm: String, username: String?, address: String) -> FailureThrottle.Attempt {
        FailureThrottle.Attempt(credential: "user:\(realm)/\(username?.lowercased() ?? "")", address: address)
    }

    /// The user and the hash their password matched.
    func check(realm: String, username: String?, password: String?, attempt: FailureThrottle.Attempt) async throws -> UserStore.Credentials {
        let username = username ?? ""
        let credentials =
            Names.isValidIdentifier(username)
            ? try await database.read { sql in try await UserStore(sql).credentials(realm: realm, username: username) }
            : Optional<UserStore.Credentials>.none
        let matches = try await passwords.verify(password ?? "", hash: credentials?.passwordHash)
        guard let credentials, matches, credentials.user.serviceAccountClientId == nil else {
            throttle.recordFailure(attempt)
            throw OAuthError(status: .unauthorized, error: "invalid_grant", description: "Invalid user credentials")
        }
        throttle.recordSuccess(attempt)
        guard credentials.user.enabled else { throw OAuthError.invalidGrant("Account disabled") }
        // Best effort: the password was right, and a rehash that fails now (or finds the hashing threads busy) is tried
        // again at the next sign-in.
        if let hash = credentials.passwordHash, let password, passwords.needsRehash(hash), let replacement = try? await passwords.rehash(password) {
            let userId = credentials.user.id
            if (try? await database.transaction({ sql in try await UserStore(sql).rehash(id: userId, expected: hash, with: replacement) })) != nil {
                var rehashed = credentials
                rehashed.passwordHash = replacement
                return rehashed
            }
        }
        return credentials
    }
}
