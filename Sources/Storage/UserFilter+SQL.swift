import Domain
import SQLKit

/// The `WHERE` clause of a user search.
extension UserFilter {
    func apply(to query: SQLSelectBuilder, realm: String) {
        query.where("realm", .equal, realm)
        if !includeServiceAccounts { query.where("service_account_client_id", .is, SQLLiteral.null) }
        // In a fixed order, so that equal filters give the same statement text.
        for field in Field.allCases {
            if let match = fields[field] { query.where(match.expression(field.column)) }
        }
        if let enabled { query.where("enabled", .equal, enabled) }
        if let emailVerified { query.where("email_verified", .equal, emailVerified) }
        if let search {
            query.where { group in
                for field in Field.allCases { group.orWhere(search.expression(field.column)) }
                return group
            }
        }
    }
}

extension UserFilter.Field {
    var column: SQLColumn {
        switch self {
        case .username: SQLColumn("username")
        case .email: SQLColumn("email")
        case .firstName: SQLColumn("first_name")
        case .lastName: SQLColumn("last_name")
        }
    }
}
