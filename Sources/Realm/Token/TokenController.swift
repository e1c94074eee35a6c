import Authentication
import Domain
import Hummingbird

/// `POST /realms/{realm}/protocol/openid-connect/token`: checks in the order of the error table, then hands over to
/// the grant.
struct TokenController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("protocol/openid-connect/token", use: token)
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        let realm = try await services.enabledRealm(try context.parameters.require("realm"))
        let form = try await FormBody.read(request)
        guard let grantType = form["grant_type"] else { throw OAuthError.invalidRequest("Missing form parameter: grant_type") }
        guard ["client_credentials", "password", "refresh_token", "authorization_code"].contains(grantType) else {
            throw OAuthError.unsupportedGrantType
        }
        let client = try await ClientAuthenticator(services: services).authenticate(
            request, form: form, realm: realm.realm.name, remoteAddress: context.remoteAddress)
        let response: TokenResponse =
            switch grantType {
            case "client_credentials":
                try await ClientCredentialsGrant(services: services).grant(client: client, form: form, realm: realm, remoteAddress: context.remoteAddress)
            case "password":
                try await PasswordGrant(services: services).grant(client: client, form: form, realm: realm, remoteAddress: context.remoteAddress)
            case "refresh_token":
                try await RefreshTokenGrant(services: services).grant(client: client, form: form, realm: realm, remoteAddress: context.remoteAddress)
            default:
                try await AuthorizationCodeGrant(services: services).grant(client: client, form: form, realm: realm, remoteAddress: context.remoteAddress)
            }
        services.telemetry.tokenIssued(grant: grantType, realm: realm.realm.name)
        var headers = OAuthError.noStore
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: response.json.data)))
    }
}
