/// What the key use cases refuse.
public enum KeyError: UseCaseError, Equatable {
    case personalKeyExists
    case noPersonalKey
    case revokedByAdministrator
    case notFound
    case productNotFound
    /// The credential may not do this (a key making keys, key administration without signing in).
    case forbidden(String)

    public var kind: UseCaseErrorKind {
        switch self {
        case .personalKeyExists, .revokedByAdministrator: .conflict
        case .noPersonalKey, .notFound, .productNotFound: .notFound
        case .forbidden: .forbidden
        }
    }

    public var message: String {
        switch self {
        case .personalKeyExists: "You already have a Personal PSK; regenerate or delete it first."
        case .noPersonalKey: "No PSK"
        case .revokedByAdministrator: "Your Personal PSK was revoked by an administrator; delete it and create a new one."
        case .notFound: "No such key"
        case .productNotFound: "No such data product"
        case .forbidden(let reason): reason
        }
    }
}
