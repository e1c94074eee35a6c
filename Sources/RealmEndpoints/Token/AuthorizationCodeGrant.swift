import Domain
import HTTPKit
import Identity
import UseCases

/// `grant_type=authorization_code` with PKCE (RFC 7636): trades a one-time code (`RedeemCode`) for tokens of the
/// session the login page opened.
struct AuthorizationCodeGrant: Sendable {
    let redeem: RedeemCode
    let roles: EffectiveRoles
    let issuer: TokenIssuer

    func grant(client: Client, form: FormBody, realm: RealmDirectory.Entry, remoteAddress: String) async throws -> TokenResponse {
        guard client.standardFlowEnabled else { throw OAuthError.unauthorizedClient("Client not allowed to initiate browser login") }
        guard let code = form["code"] else { throw OAuthError.invalidRequest("Missing parameter: code") }
        let accessTokenId = Identifiers.uuid()
        let redemption = try await OAuthError.grant {
            try await redeem(
                .init(
                    realm: realm.realm, clientId: client.clientId, code: code, redirectURI: form["redirect_uri"], verifier: form["code_verifier"],
                    accessTokenId: accessTokenId))
        }
        let roles = try await roles(userId: redemption.user.id)
        let scope = GrantedScope(stored: redemption.scope, plan: try await issuer.plans.plan(of: client))
        let subject = TokenSubject(
            user: redemption.user, client: client, realmRoles: roles.realm, clientRoles: roles.clients, scope: scope,
            session: .init(id: redemption.session.id, refreshId: redemption.session.refreshId, nonce: redemption.nonce, offline: redemption.session.offline),
            remoteAddress: remoteAddress,
            accessTokenId: accessTokenId)
        return try await issuer.issue(subject, realm: realm)
    }
}
