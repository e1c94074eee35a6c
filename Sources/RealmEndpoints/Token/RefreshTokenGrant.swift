import Domain
import HTTPKit
import Identity
import Tokens
import UseCases

/// `grant_type=refresh_token`: a new token pair for a live session (`RefreshSession`). Refresh tokens rotate: each
/// works once.
struct RefreshTokenGrant: Sendable {
    let check: RefreshTokenCheck
    let refresh: RefreshSession
    let live: LiveSessions
    let roles: EffectiveRoles
    let issuer: TokenIssuer

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard let token = form["refresh_token"] else { throw OAuthError.invalidRequest("Missing parameter: refresh_token") }
        let claims = try await check.verify(token, client: client, realm: realm)
        // The realm's not-before policy ends refresh tokens. A user's cut-off (sign-out, password reset, disabling) comes
        // with the end of their sessions, so the session's own check below refuses those: "Session not active", the
        // words python-keycloak signs in again on, while a session opened after a sign-out in the same second works.
        // "Stale token" is left for a live session pushed out by the realm's policy. An offline token outlives a
        // sign-out (its session stays) until its consent is revoked, its password reset or its user disabled.
        let offline = claims.typ == RefreshTokenCheck.offlineType
        if claims.iat < realm.realm.notBefore {
            throw OAuthError.invalidGrant(try await live.session(id: claims.sid) == nil ? "Session not active" : "Stale token")
        }
        let refreshed = try await OAuthError.grant {
            try await refresh(realm: realm.realm, sessionId: claims.sid, refreshId: claims.jti, userId: claims.sub, offline: offline)
        }
        let roles = try await roles(userId: refreshed.user.id)
        // An offline token lasts while its user may have one (Keycloak 26.4.4 checks this at refresh too).
        if offline, !roles.realm.contains(GrantedScope.offlineAccess) { throw OAuthError.offlineNotAllowed }
        let scope = GrantedScope(stored: claims.scope, plan: try await issuer.plans.plan(of: client))
        let subject = TokenSubject(
            user: refreshed.user, client: client, realmRoles: roles.realm, clientRoles: roles.clients, scope: scope,
            session: .init(id: claims.sid, refreshId: refreshed.refreshId, nonce: nil, offline: offline), remoteAddress: remoteAddress)
        return try await issuer.issue(subject, realm: realm)
    }
}

/// Verifies a refresh token's signature, type, expiry and owner, without touching storage (the grant then checks the
/// not-before policy and the session).
struct RefreshTokenCheck: Sendable {
    let issuers: IssuerURLs
    let clock: EpochClock

    /// Keycloak's `typ` of an offline token's refresh token.
    static let offlineType = "Offline"

    func verify(_ token: String, client: Client, realm: RealmDirectory.Entry) async throws -> RefreshTokenClaims {
        guard let claims = try? await realm.keys.verifyRefresh(token) else { throw OAuthError.invalidGrant("Invalid refresh token") }
        guard claims.typ == "Refresh" || claims.typ == Self.offlineType, claims.iss == issuers.issuer(realm: realm.realm.name) else {
            throw OAuthError.invalidGrant("Invalid refresh token")
        }
        guard claims.exp > clock.now else { throw OAuthError.invalidGrant("Token is not active") }
        guard claims.azp == client.clientId else { throw OAuthError.invalidGrant("Token client and authorized client don't match") }
        return claims
    }
}
