import Domain

/// What the query (card) use cases refuse.
public enum QueryError: UseCaseError, Equatable {
    case notFound(String)
    case noSuchSuggestion(String)
    case forbidden

    public var kind: UseCaseErrorKind {
        switch self {
        case .notFound, .noSuchSuggestion: .notFound
        case .forbidden: .forbidden
        }
    }

    public var message: String {
        switch self {
        case .notFound(let id): "No such query: \(id)"
        case .noSuchSuggestion(let id): "No such suggestion: \(id)"
        case .forbidden: "This action needs the role \(NexusOneRoles.ask)."
        }
    }

    /// Queries, suggestions and asking need `nx1_ask` (api.md "Who may call what").
    public static func authorize(_ actor: Principal) throws(QueryError) {
        guard actor.has(role: NexusOneRoles.ask) else { throw .forbidden }
    }
}
