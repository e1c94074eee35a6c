/// A credential the identity capability does not accept. Every reason looks the same to the caller (the log may say
/// more); each front end answers it in its own shape, the API with the challenge of the credential's scheme.
public enum CredentialRefused: Error, Equatable {
    /// A PSK that is malformed, unknown, revoked, expired, past its grace window, or whose owner is disabled.
    case psk
}
