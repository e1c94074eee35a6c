import Domain

/// What creating, reading and deleting data products refuses.
public enum ProductError: UseCaseError, Equatable {
    case exists(String)
    case notFound(String)
    case unknownRole(String)
    case noSuchSuggestion
    case noSuchQuery
    case duplicateColumns
    /// Exactly one of `query`, `suggestion_id` and `query_id`.
    case oneSource
    case forbidden

    public var kind: UseCaseErrorKind {
        switch self {
        case .exists: .conflict
        case .notFound: .notFound
        case .unknownRole: .invalid(field: "role_name", rule: .range)
        case .noSuchSuggestion: .invalid(field: "suggestion_id", rule: .range)
        case .noSuchQuery: .invalid(field: "query_id", rule: .range)
        case .duplicateColumns, .oneSource: .invalid(field: "query", rule: .range)
        case .forbidden: .forbidden
        }
    }

    public var message: String {
        switch self {
        case .exists(let name): "A data product named \(name) exists already"
        case .notFound(let id): "No such data product: \(id)"
        case .unknownRole(let name): "The realm has no role named '\(name)'"
        case .noSuchSuggestion: "No such suggestion"
        case .noSuchQuery: "No such query of yours"
        case .duplicateColumns: "The query's column names must be unique; name them with AS"
        case .oneSource: "Give exactly one of query, suggestion_id and query_id"
        case .forbidden: "This action needs the role \(NexusOneRoles.ask) or \(NexusOneRoles.engineer)."
        }
    }

    /// Creating and deleting products needs `nx1_ask` or `nx1_engineer` (api.md "Who may call what").
    public static func authorizeCreator(_ actor: Principal) throws(ProductError) {
        guard actor.has(role: NexusOneRoles.ask) || actor.has(role: NexusOneRoles.engineer) else { throw .forbidden }
    }
}
