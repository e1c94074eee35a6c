import Domain
import SQLKit

/// The `WHERE` clause of a user search.
extension UserFilter {
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
