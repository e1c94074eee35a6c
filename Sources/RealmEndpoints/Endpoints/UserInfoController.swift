import Domain
import HTTPKit
import Hummingbird
import Identity
import Tokens
import UseCases

/// `GET/POST /userinfo` (OpenID Connect Core §5.3): the token's user, unless its session has ended.
struct UserInfoController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("protocol/openid-connect/userinfo", use: userInfo)
        group.post("protocol/openid-connect/userinfo", use: userInfo)
    }

    struct UserInfo: Encodable {
        let sub: String
        let preferredUsername: String
        let emailVerified: Bool
        let email: String?
        let name: String?
        let givenName: String?
        let familyName: String?

        enum CodingKeys: String, CodingKey {
            case sub, email, name
            case preferredUsername = "preferred_username"
            case emailVerified = "email_verified"
            case givenName = "given_name"
            case familyName = "family_name"
        }
    }

    @Sendable func userInfo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let realm = try await services.lookup.enabled(try context.parameters.require("realm")).realm.name
        guard let token = BearerTokenAuthenticator.bearerToken(request.headers[.authorization]) else {
            throw UserInfoError(realm: realm, description: "Missing token")
        }
        guard let claims = try? await services.verifier.verify(token), claims.iss == services.issuers.issuer(realm: realm) else {
            throw UserInfoError(realm: realm, description: "Token verification failed")
        }
        guard let user = try await services.sessions.live.user(realm: realm, id: claims.sub, sessionId: claims.sid) else { throw UserInfoError(realm: realm, description: "User session not found or doesn't have client attached on it") }
        return JSONBody.response(
            UserInfo(
                sub: user.id, preferredUsername: user.username, emailVerified: user.emailVerified, email: user.email, name: user.fullName,
                givenName: user.firstName, familyName: user.lastName))
    }
}

/// RFC 6750 §3.1: 401 `invalid_token` with the challenge in `WWW-Authenticate`.
struct UserInfoError: HTTPResponseError {
    let realm: String
    let description: String
    var status: HTTPResponse.Status { .unauthorized }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = OAuthError.noStore
        headers[.wwwAuthenticate] = #"Bearer realm="\#(realm)", error="invalid_token", error_description="\#(description)""#
        return JSONBody.response(status: status, headers: headers, ["error": "invalid_token", "error_description": description])
    }
}
