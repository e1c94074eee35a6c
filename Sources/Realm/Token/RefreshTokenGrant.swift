import Authentication
import Domain
import Storage
import Tokens

/// `grant_type=refresh_token`: a new token pair for a live session. Refresh tokens rotate: each may be used once.
struct RefreshTokenGrant: Sendable {
    let services: RealmServices

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard let token = form["refresh_token"] else { throw OAuthError.invalidRequest("Missing parameter: refresh_token") }
        let claims = try await RefreshTokenCheck(services: services).verify(token, client: client, realm: realm)
        let now = services.clock.now
        let nextRefreshId = Identifiers.uuid()
        let (user, roles) = try await services.database.transaction { sql in
            let sessions = SessionStore(sql)
            guard try await sessions.live(id: claims.sid, now: now) != nil,
                try await sessions.rotate(id: claims.sid, expected: claims.jti, next: nextRefreshId, expiresAt: now.addingSaturated(realm.realm.refreshTokenLifespan))
            else { throw OAuthError.invalidGrant("Session not active") }
            guard let user = try await UserStore(sql).find(realm: realm.realm.name, id: claims.sub), user.enabled else {
                throw OAuthError.invalidGrant("User disabled")
            }
            return (user, try await SubjectLoader.roles(of: user.id, on: sql))
        }
        let scope = GrantedScope(stored: claims.scope, requestedOpenID: claims.scope.split(separator: " ").contains("openid"))
        let subject = TokenSubject(
            user: user, client: client, realmRoles: roles.realm, clientRoles: roles.clients, scope: scope,
            session: .init(id: claims.sid, refreshId: nextRefreshId, nonce: nil), remoteAddress: remoteAddress)
        return try await services.issuer.issue(subject, realm: realm)
    }
}

/// Verifies a refresh token's signature, type, expiry and owner, without touching storage.
struct RefreshTokenCheck: Sendable {
    let services: RealmServices

    func verify(_ token: String, client: Client, realm: RealmDirectory.Entry) async throws -> RefreshTokenClaims {
        guard let claims = try? await realm.keys.verifyRefresh(token) else { throw OAuthError.invalidGrant("Invalid refresh token") }
        guard claims.typ == "Refresh", claims.iss == services.issuers.issuer(realm: realm.realm.name) else {
            throw OAuthError.invalidGrant("Invalid refresh token")
        }
        guard claims.exp > services.clock.now else { throw OAuthError.invalidGrant("Token is not active") }
        guard claims.azp == client.clientId else { throw OAuthError.invalidGrant("Token client and authorized client don't match") }
        return claims
    }
}
