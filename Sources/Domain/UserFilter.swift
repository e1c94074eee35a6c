/// Which users a search returns (Keycloak's `GET …/users` and `…/users/count` parameters). Service accounts are left
/// out unless asked for, as Keycloak leaves them out of its user searches.
public struct UserFilter: Sendable, Equatable {
    /// The fields of a user a search can match text against.
    public enum Field: Sendable, CaseIterable {
        case username, email, firstName, lastName
    }

    /// Matched against every field: any one may match.
    public var search: TextMatch?
    /// Each must match its own field.
    public var fields: [Field: TextMatch]
    public var enabled: Bool?
    public var emailVerified: Bool?
    public var includeServiceAccounts: Bool

    public init(
        search: TextMatch? = nil, fields: [Field: TextMatch] = [:], enabled: Bool? = nil, emailVerified: Bool? = nil,
        includeServiceAccounts: Bool = false
    ) {
        (self.search, self.fields) = (search, fields)
        (self.enabled, self.emailVerified, self.includeServiceAccounts) = (enabled, emailVerified, includeServiceAccounts)
    }
}
