import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// The grants of RFC 6749 this server answers (identity.md "Grants").
enum GrantType: String, Sendable, CaseIterable {
    case clientCredentials = "client_credentials"
    case password
    case refreshToken = "refresh_token"
    case authorizationCode = "authorization_code"

    /// The login event a grant is, in Keycloak's words, and the one its failure is.
    var events: (success: LoginEvent.Kind, failure: LoginEvent.Kind) {
        switch self {
        case .clientCredentials: (.clientLogin, .clientLoginError)
        case .password: (.login, .loginError)
        case .refreshToken: (.refreshToken, .refreshTokenError)
        case .authorizationCode: (.codeToToken, .codeToTokenError)
        }
    }
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
    let umaTicket: UMATicketGrant
    let telemetry: Telemetry
    let events: LoginEvents

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("protocol/openid-connect/token", use: token)
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        let realm = try await realms.enabled(try context.parameters.require("realm"))
        let form = try await FormBody.read(request)
        guard let requested = form["grant_type"] else { throw OAuthError.invalidRequest("Missing form parameter: grant_type") }
        // The bearer token authenticates this grant, not a client's credentials.
        if requested == UMATicketGrant.grantType {
            return try await umaTicket.answer(request, form: form, realm: realm, remoteAddress: context.remoteAddress)
        }
        guard let grantType = GrantType(rawValue: requested) else { throw OAuthError.unsupportedGrantType }
        let address = context.remoteAddress
        let response: TokenResponse
        do {
            let client = try await clients.authenticate(request, form: form, realm: realm.realm.name, remoteAddress: address)
            response =
                switch grantType {
                case .clientCredentials: try await clientCredentials.grant(client: client, form: form, realm: realm, remoteAddress: address)
                case .password: try await password.grant(client: client, form: form, realm: realm, remoteAddress: address)
                case .refreshToken: try await refreshToken.grant(client: client, form: form, realm: realm, remoteAddress: address)
                case .authorizationCode: try await authorizationCode.grant(client: client, form: form, realm: realm, remoteAddress: address)
                }
        } catch {
            if realm.realm.events.eventsEnabled {
                let clientId = form["client_id"].flatMap { Names.isValidIdentifier($0) ? $0 : nil }
                await events.record(
                    grantType.events.failure, realm: realm.realm,
                    .init(clientId: clientId, ipAddress: address, error: Self.eventError(error, grant: grantType), details: Self.details(grantType, form)))
            }
            throw error
        }
        // A realm without events builds nothing here: this is the token path.
        if realm.realm.events.eventsEnabled {
            await events.record(
                grantType.events.success, realm: realm.realm,
                .init(
                    clientId: response.clientId, userId: response.userId, sessionId: response.sessionState, ipAddress: address,
                    details: Self.details(grantType, form)))
        }
        telemetry.tokenIssued(grant: grantType.rawValue, realm: realm.realm.name)
        var headers = OAuthError.noStore
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: response.json.bytes)))
    }

    /// Keycloak's details of a token event: the grant, and for a password the username (never the password).
    static func details(_ grantType: GrantType, _ form: FormBody) -> [String: String] {
        var details = ["grant_type": grantType.rawValue]
        if grantType == .password, let username = form["username"], Names.isValidIdentifier(username) { details["username"] = username.lowercased() }
        return details
    }

    /// The event's `error`, in Keycloak's words where it has one: a wrong password is `invalid_user_credentials`, a
    /// wrong client secret `invalid_client_credentials`; otherwise the OAuth error sent back.
    static func eventError(_ error: any Error, grant: GrantType) -> String {
        guard let error = error as? OAuthError else { return "unknown_error" }
        switch (error.error, error.status) {
        case ("invalid_grant", .unauthorized) where grant == .password: return "invalid_user_credentials"
        case ("unauthorized_client", .unauthorized), ("invalid_client", .unauthorized): return "invalid_client_credentials"
        default: return error.error
        }
    }
}
