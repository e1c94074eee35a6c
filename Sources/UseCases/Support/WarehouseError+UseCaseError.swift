import Domain

/// The warehouse's refusals as use cases pass them on: the user's SQL failing is theirs to fix (on `query`), a page
/// over its byte cap asks for a smaller `limit`, an unreachable warehouse is unavailable.
extension WarehouseError: UseCaseError {
    public var kind: UseCaseErrorKind {
        switch self {
        case .query: .invalid(field: "query", rule: .range)
        case .tooLarge: .invalid(field: "limit", rule: .range)
        case .unavailable: .unavailable
        }
    }

    public var message: String {
        switch self {
        case .query(let reason): "The warehouse refused the query: \(reason)"
        case .tooLarge, .unavailable: description
        }
    }
}
