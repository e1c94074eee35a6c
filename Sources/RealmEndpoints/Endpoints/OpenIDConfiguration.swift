import Domain
import HTTPKit
import Identity

/// The discovery document (OpenID Connect Discovery 1.0 §3). It advertises only what is served.
struct OpenIDConfiguration: Encodable {
    let issuer: String
    let authorizationEndpoint: String
    let tokenEndpoint: String
    let introspectionEndpoint: String
    let userinfoEndpoint: String
    let endSessionEndpoint: String
    let revocationEndpoint: String
    let jwksUri: String
    let grantTypesSupported = ["authorization_code", "client_credentials", "password", "refresh_token"]
    let responseTypesSupported = ["code"]
    let responseModesSupported = ["query"]
    let subjectTypesSupported = ["public"]
    let idTokenSigningAlgValuesSupported = SigningAlgorithm.allCases.map(\.rawValue)
    let tokenEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post"]
    let introspectionEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post"]
    let revocationEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post"]
    let codeChallengeMethodsSupported = ["S256", "plain"]
    /// The client scopes every realm has (`KeycloakClientScopes`), and `openid`.
    let scopesSupported = (["openid"] + KeycloakClientScopes.all.map(\.name)).sorted()
    let claimsSupported = [
        "aud", "sub", "iss", "auth_time", "name", "given_name", "family_name", "preferred_username", "email", "email_verified", "acr", "azp",
        "sid", "nonce",
    ]
    let claimsParameterSupported = false
    let requestParameterSupported = false
    let requestUriParameterSupported = false
    let frontchannelLogoutSupported = false
    let backchannelLogoutSupported = false
    let tlsClientCertificateBoundAccessTokens = false

    init(realm: String, issuers: IssuerURLs) {
        issuer = issuers.issuer(realm: realm)
        authorizationEndpoint = issuers.openIDConnect(realm: realm, "auth")
        tokenEndpoint = issuers.openIDConnect(realm: realm, "token")
        introspectionEndpoint = issuers.openIDConnect(realm: realm, "token/introspect")
        userinfoEndpoint = issuers.openIDConnect(realm: realm, "userinfo")
        endSessionEndpoint = issuers.openIDConnect(realm: realm, "logout")
        revocationEndpoint = issuers.openIDConnect(realm: realm, "revoke")
        jwksUri = issuers.openIDConnect(realm: realm, "certs")
    }

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case introspectionEndpoint = "introspection_endpoint"
        case userinfoEndpoint = "userinfo_endpoint"
        case endSessionEndpoint = "end_session_endpoint"
        case revocationEndpoint = "revocation_endpoint"
        case jwksUri = "jwks_uri"
        case grantTypesSupported = "grant_types_supported"
        case responseTypesSupported = "response_types_supported"
        case responseModesSupported = "response_modes_supported"
        case subjectTypesSupported = "subject_types_supported"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case introspectionEndpointAuthMethodsSupported = "introspection_endpoint_auth_methods_supported"
        case revocationEndpointAuthMethodsSupported = "revocation_endpoint_auth_methods_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
        case scopesSupported = "scopes_supported"
        case claimsSupported = "claims_supported"
        case claimsParameterSupported = "claims_parameter_supported"
        case requestParameterSupported = "request_parameter_supported"
        case requestUriParameterSupported = "request_uri_parameter_supported"
        case frontchannelLogoutSupported = "frontchannel_logout_supported"
        case backchannelLogoutSupported = "backchannel_logout_supported"
        case tlsClientCertificateBoundAccessTokens = "tls_client_certificate_bound_access_tokens"
    }
}
