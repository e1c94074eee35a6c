/// Rows of a result, column names in select order.
public struct ResultSet: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[Cell]]

    public init(columns: [String], rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// One value of a result row, as it goes into JSON.
public enum Cell: Sendable, Equatable {
    case null
    case integer(Int)
    case real(Double)
    case text(String)
    case boolean(Bool)

    /// The value as a CSV field would show it (before quoting).
    public var plainText: String {
        switch self {
        case .null: ""
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): value
        case .boolean(let value): value ? "true" : "false"
        }
    }
}
