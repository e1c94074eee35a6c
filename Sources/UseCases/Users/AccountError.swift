import Domain

/// A signed-in person without the `account` role that the part of their own account they reach for needs (an
/// administrator took it out of the realm's default roles, or from them).
public enum AccountError: UseCaseError, Equatable {
    /// Changing their own account: `manage-account`.
    case manage
    /// Seeing their own account: `view-profile` (or `manage-account`).
    case view

    public var kind: UseCaseErrorKind { .forbidden }

    public var message: String {
        switch self {
        case .manage: "Managing your account needs the role \(KeycloakRealmLayout.manageAccount) of the client \(KeycloakRealmLayout.account)."
        case .view: "Your account page needs the role \(KeycloakRealmLayout.viewProfile) of the client \(KeycloakRealmLayout.account)."
        }
    }

    /// Throws unless `actor` may change (`manage`) or see (`view`) its own account.
    public static func require(_ actor: Principal, _ need: AccountError) throws(AccountError) {
        switch need {
        case .manage: if !actor.managesOwnAccount { throw .manage }
        case .view: if !actor.viewsOwnAccount { throw .view }
        }
    }
}
