/// Which users a search returns (Keycloak's `GET …/users` and `…/users/count` parameters). Service accounts are left
/// out unless asked for, as Keycloak leaves them out of its user searches.
public struct UserFilter: Sendable, Equatable {
    /// Matched against username, email, first and last name: any one may match.
    public var search: TextMatch?
    public var username: TextMatch?
    public var email: TextMatch?
    public var firstName: TextMatch?
    public var lastName: TextMatch?
    public var enabled: Bool?
    public var emailVerified: Bool?
    public var includeServiceAccounts: Bool

    public init(
        search: TextMatch? = nil, username: TextMatch? = nil, email: TextMatch? = nil, firstName: TextMatch? = nil, lastName: TextMatch? = nil,
        enabled: Bool? = nil, emailVerified: Bool? = nil, includeServiceAccounts: Bool = false
    ) {
        self.search = search
        self.username = username
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.enabled = enabled
        self.emailVerified = emailVerified
        self.includeServiceAccounts = includeServiceAccounts
    }
}
