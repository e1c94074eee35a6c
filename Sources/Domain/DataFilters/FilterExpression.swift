/// A parsed `filter` (api.md): comparisons joined by `and`/`or`. Column names are the view's own, checked by the parser.
public indirect enum FilterExpression: Equatable, Sendable {
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)
    case compare(column: String, FilterOperator, FilterValue)
    case like(column: String, String)
    case isIn(column: String, [FilterValue])
    case isNull(column: String, negated: Bool)
}

public enum FilterOperator: String, Equatable, Sendable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// A literal of the filter language; it always reaches the database as a bound parameter.
public enum FilterValue: Equatable, Sendable {
    case text(String)
    case integer(Int)
    case real(Double)
    case boolean(Bool)
}

/// One `order` term: `column [asc|desc]`.
public struct OrderTerm: Equatable, Sendable {
    public var column: String
    public var descending: Bool

    public init(column: String, descending: Bool) {
        self.column = column
        self.descending = descending
    }
}

/// Why a `filter` or `order` parameter was refused, with the 1-based character position of the problem.
public struct FilterSyntaxError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var position: Int

    public var description: String { "\(message) at position \(position)" }
}
