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

    @Sendable func userInfo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let realm = try await services.lookup.enabled(try context.parameters.require("realm")).realm.name
        guard let token = BearerTokenAuthenticator.bearerToken(request.headers[.authorization]) else {
            throw UserInfoError(realm: realm, description: "Missing token")
        }
        guard let claims = try? await services.verifier.verify(token), claims.iss == services.issuers.issuer(realm: realm) else {
            throw UserInfoError(realm: realm, description: "Token verification failed")
        }
        guard let user = try await services.sessions.live.user(realm: realm, id: claims.sub, sessionId: claims.sid) else { throw UserInfoError(realm: realm, description: "User session not found or doesn't have client attached on it") }
        return Self.response(sub: user.id, try await mapped(for: user, token: claims, realm: realm))
    }

    /// What the mappers of the token's client put in userinfo, for the scopes the token was granted.
    private func mapped(for user: User, token: AccessTokenClaims, realm: String) async throws -> ClaimSet {
        let checks = services.credentials
        var plan = ClaimPlan.keycloakDefault
        if let client = try await checks.clients.named(realm: realm, clientId: token.azp, enabledOnly: false) { plan = try await checks.claimPlans.plan(of: client) }
        let roles = try await checks.roles(userId: user.id)
        let source = ClaimSource(
            user: user, clientId: token.azp, realmRoles: roles.realm, clientRoles: roles.clients,
            groupPaths: plan.needsGroups ? try await checks.claimPlans.groupPaths(userId: user.id) : [])
        let granted = Set(token.scope.split(separator: " ").map(String.init)).intersection(plan.optionalNames)
        return plan.claims(source, optional: granted, for: .userInfo)
    }

    static func response(sub: String, _ claims: ClaimSet) -> Response {
        var writer = JSONObjectWriter()
        writer.string("sub", sub)
        writer.bool("email_verified", claims.emailVerified)
        writer.string("preferred_username", claims.preferredUsername)
        writer.string("name", claims.name)
        writer.string("given_name", claims.givenName)
        writer.string("family_name", claims.familyName)
        writer.string("email", claims.email)
        for name in claims.other.keys.sorted() { writer.claim(name, claims.other[name]!) }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: writer.finish())))
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
