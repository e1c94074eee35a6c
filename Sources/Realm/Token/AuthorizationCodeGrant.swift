import Authentication
import Crypto
import Domain
import Foundation
import Storage
import Tokens

/// `grant_type=authorization_code` with PKCE (RFC 7636): trades a one-time code for tokens of the session the
/// login page opened.
struct AuthorizationCodeGrant: Sendable {
    let services: RealmServices

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard client.standardFlowEnabled else { throw OAuthError.unauthorizedClient("Client not allowed to initiate browser login") }
        guard let code = form["code"] else { throw OAuthError.invalidRequest("Missing parameter: code") }
        let now = services.clock.now
        let stored = try await services.database.transaction { sql in try await SessionStore(sql).consumeCode(hash: TokenDigest.sha256Hex(code)) }
        guard let stored, stored.realm == realm.realm.name, stored.expiresAt > now else { throw OAuthError.invalidGrant("Code not valid") }
        guard stored.clientId == client.clientId else { throw OAuthError.invalidGrant("Auth error") }
        guard form["redirect_uri"] == stored.redirectUri else { throw OAuthError.invalidGrant("Incorrect redirect_uri") }
        try Self.checkPKCE(challenge: stored.codeChallenge, method: stored.codeChallengeMethod, verifier: form["code_verifier"])
        let (session, user, roles) = try await services.database.read { sql in
            guard let session = try await SessionStore(sql).live(id: stored.sessionId, now: now),
                let user = try await UserStore(sql).find(realm: realm.realm.name, id: session.userId), user.enabled
            else { throw OAuthError.invalidGrant("Session not active") }
            return (session, user, try await SubjectLoader.roles(of: user.id, on: sql))
        }
        let scope = GrantedScope(stored: stored.scope, requestedOpenID: stored.scope.split(separator: " ").contains("openid"))
        let subject = TokenSubject(
            user: user, client: client, realmRoles: roles.realm, clientRoles: roles.clients, scope: scope,
            session: .init(id: session.id, refreshId: session.refreshId, nonce: stored.nonce), remoteAddress: remoteAddress)
        return try await services.issuer.issue(subject, realm: realm)
    }

    /// RFC 7636 §4.6: without a stored challenge no verifier is needed; with one, it must match.
    static func checkPKCE(challenge: String?, method: String?, verifier: String?) throws {
        guard let challenge else { return }
        guard let verifier, (43...128).contains(verifier.count) else { throw OAuthError.invalidGrant("PKCE code verifier not specified") }
        let computed = method == "plain" ? verifier : Base64URL.encode(Data(SHA256.hash(data: Array(verifier.utf8))))
        guard ConstantTime.equals(computed, challenge) else { throw OAuthError.invalidGrant("PKCE verification failed") }
    }
}
