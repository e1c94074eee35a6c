import SQLKit

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

    func apply(to query: SQLSelectBuilder, realm: String) {
        query.where("realm", .equal, realm)
        if !includeServiceAccounts { query.where("service_account_client_id", .is, SQLLiteral.null) }
        for (column, match) in [("username", username), ("email", email), ("first_name", firstName), ("last_name", lastName)] {
            if let match { query.where(match.expression(SQLColumn(column))) }
        }
        if let enabled { query.where("enabled", .equal, enabled) }
        if let emailVerified { query.where("email_verified", .equal, emailVerified) }
        if let search {
            query.where { group in
                group.where(search.expression(SQLColumn("username"))).orWhere(search.expression(SQLColumn("email")))
                    .orWhere(search.expression(SQLColumn("first_name"))).orWhere(search.expression(SQLColumn("last_name")))
            }
        }
    }
}
