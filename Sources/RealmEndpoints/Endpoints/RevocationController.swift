import Domain
import HTTPKit
import Hummingbird
import Identity
import Tokens
import UseCases

/// `POST /revoke` (RFC 7009): a refresh token ends its session; an access token is remembered by `jti` until it
/// expires. Unknown or foreign tokens are answered 200 as the RFC asks, and nothing happens.
struct RevocationController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("protocol/openid-connect/revoke", use: revoke)
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try await ClientRequest.read(request, context: context, services: services)
        guard let token = call.form["token"] else { throw OAuthError.invalidRequest("Token not provided") }
        let realm = call.realm.realm.name
        if let refresh = try? await services.refreshTokenCheck.verify(token, client: call.client, realm: call.realm) {
            try await services.sessions.end(id: refresh.sid)
        } else if let access = try? await services.verifier.verify(token), access.iss == services.issuers.issuer(realm: realm),
            access.azp == call.client.clientId
        {
            try await services.sessions.revokeAccessToken(jti: access.jti, realm: realm, expiresAt: access.exp)
        }
        return Response(status: .ok, headers: OAuthError.noStore)
    }
}
