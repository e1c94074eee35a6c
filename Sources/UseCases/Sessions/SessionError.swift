import Domain
/// What redeeming a code or refreshing a session refuses. The token endpoint answers each with RFC 6749 §5.2's
/// `invalid_grant` and these words; the portal sends the browser to sign in again.
public enum SessionError: UseCaseError, Equatable {
    /// Unknown, expired, used, or another realm's or client's.
    case codeNotValid
    /// Presented a second time: refused, and what its first redemption issued is revoked (RFC 6749 §4.1.2).
    case codeReused
    case wrongRedirectURI
    case verifierMissing
    case verifierMismatch
    /// Ended, expired, or its refresh token was used already (refresh tokens work once).
    case sessionNotActive
    case userDisabled
    /// The password a sign-in proved was replaced (or removed) before its session opened.
    case credentialsChanged

    public var kind: UseCaseErrorKind { .invalid(field: "grant", rule: .range) }

    public var message: String {
        switch self {
        case .codeNotValid, .codeReused: "Code not valid"
        case .wrongRedirectURI: "Incorrect redirect_uri"
        case .verifierMissing: "PKCE code verifier not specified"
        case .verifierMismatch: "PKCE verification failed"
        case .sessionNotActive: "Session not active"
        case .userDisabled: "User disabled"
        case .credentialsChanged: "Invalid user credentials"
        }
    }
}
