import Domain
import HTTPKit
import Hummingbird
import Identity

/// The grants of RFC 6749 this server answers (identity.md "Grants").
enum GrantType: String, Sendable, CaseIterable {
    case clientCredentials = "client_credentials"
    case password
    case refreshToken = "refresh_token"
    case authorizationCode = "authorization_code"
}

/// `POST /realms/{realm}/protocol/openid-connect/token`: checks in the order of the error table, then hands over to
/// the grant.
struct TokenController: Sendable {
    let realms: RealmLookup
    let clients: ClientAuthenticator
    let clientCredentials: ClientCredentialsGrant
    let password: PasswordGrant
    let refreshToken: RefreshTokenGrant
    let authorizationCode: AuthorizationCodeGrant
    let telemetry: Telemetry

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("protocol/openid-connect/token", use: token)
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        let realm = try await realms.enabled(try context.parameters.require("realm"))
        let form = try await FormBody.read(request)
        guard let requested = form["grant_type"] else { throw OAuthError.invalidRequest("Missing form parameter: grant_type") }
        guard let grantType = GrantType(rawValue: requested) else { throw OAuthError.unsupportedGrantType }
        let client = try await clients.authenticate(request, form: form, realm: realm.realm.name, remoteAddress: context.remoteAddress)
        let address = context.remoteAddress
        let response: TokenResponse =
            switch grantType {
            case .clientCredentials: try await clientCredentials.grant(client: client, form: form, realm: realm, remoteAddress: address)
            case .password: try await password.grant(client: client, form: form, realm: realm, remoteAddress: address)
            case .refreshToken: try await refreshToken.grant(client: client, form: form, realm: realm, remoteAddress: address)
            case .authorizationCode: try await authorizationCode.grant(client: client, form: form, realm: realm, remoteAddress: address)
            }
        telemetry.tokenIssued(grant: grantType.rawValue, realm: realm.realm.name)
        var headers = OAuthError.noStore
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: response.json.bytes)))
    }
}
