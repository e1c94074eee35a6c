/// A credential the identity capability does not accept. Every reason of one kind looks the same to the caller (the log
/// may say more); each front end answers it in its own shape: the API with the challenge of the credential's scheme,
/// the token endpoint with OAuth's error, the login page with a sentence.
public enum CredentialRefused: Error, Equatable {
    /// A PSK that is malformed, unknown, revoked, expired, past its grace window, or whose owner is disabled.
    case psk
    /// A username and password that do not match an account that may sign in with a password.
    case password
    /// The password matched, but the account is disabled.
    case accountDisabled
    /// A `client_id` that names no enabled client of the realm.
    case client
    /// A confidential client whose secret is missing or wrong.
    case clientSecret
    /// Too many failures for this credential or address: try again after this many seconds.
    case throttled(retryAfter: Int)
    /// A missing, wrong or already used code of the user's authenticator.
    case oneTimeCode
}
