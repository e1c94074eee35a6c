import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import Tokens
import UseCases

/// `/logout`: POST with client credentials and a refresh token ends that session (204); GET is the browser's
/// RP-initiated logout, which ends the session named by `id_token_hint` and redirects to a registered URI.
struct LogoutController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("protocol/openid-connect/logout", use: logout)
        group.get("protocol/openid-connect/logout", use: browserLogout)
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try await ClientRequest.read(request, context: context, services: services)
        guard let token = call.form["refresh_token"] else { throw OAuthError.invalidRequest("No refresh token") }
        let claims = try await services.refreshTokenCheck.verify(token, client: call.client, realm: call.realm)
        try await services.sessions.end(id: claims.sid)
        await services.administration.loginEvents.record(
            .logout, realm: call.realm.realm,
            .init(clientId: call.client.clientId, userId: claims.sub, sessionId: claims.sid, ipAddress: context.remoteAddress))
        return Response(status: .noContent, headers: OAuthError.noStore)
    }

    @Sendable func browserLogout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let realm = try await services.lookup.enabled(try context.parameters.require("realm"))
        let query = request.uri.queryParameters
        var client: Client?
        // Only an ID token names the session to end (OIDC RP-Initiated Logout §2); an access token that happens to decode
        // as one does not.
        if let hint = query["id_token_hint"].map(String.init), let claims = try? await realm.keys.verify(hint, as: IDTokenClaims.self),
            claims.iss == services.issuers.issuer(realm: realm.realm.name), claims.typ == "ID"
        {
            if let sid = claims.sid {
                try await services.sessions.end(id: sid)
                await services.administration.loginEvents.record(
                    .logout, realm: realm.realm, .init(clientId: claims.aud, userId: claims.sub, sessionId: sid, ipAddress: context.remoteAddress))
            }
            client = try await services.credentials.clients.named(realm: realm.realm.name, clientId: claims.aud, enabledOnly: false)
        }
        if let target = query["post_logout_redirect_uri"].map(String.init) {
            guard let client, client.allowsRedirect(to: target) else {
                throw OAuthError.invalidRequest("Invalid redirect uri")
            }
            var location = target
            if let state = query["state"].map(String.init), let encoded = state.addingPercentEncoding(withAllowedCharacters: .urlQueryValue) {
                location += (target.contains("?") ? "&" : "?") + "state=" + encoded
            }
            return Response(status: .found, headers: [.location: location])
        }
        return LoginPage.message(title: "Logged out", text: "You are logged out.")
    }
}

extension CharacterSet {
    /// Characters that may stand unescaped in a query value.
    static let urlQueryValue = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#?"))
}
