import Domain
import Foundation
import SQLKit

/// How storage renders a `TextMatch`: `LIKE` with an escape, for SQLite and PostgreSQL alike.
extension TextMatch {
    /// `lower(column) = lower(text)` or `lower(column) LIKE pattern ESCAPE '\'`, for SQLite and PostgreSQL alike.
    func expression(_ column: any SQLExpression) -> any SQLExpression {
        let lowered = SQLFunction("lower", args: column)
        switch self {
        case .equals(let text): return SQLBinaryExpression(lowered, .equal, SQLBind(text.lowercased()))
        case .contains(let text): return Like(column: lowered, pattern: "%" + Self.escape(text) + "%")
        case .prefix(let text): return Like(column: lowered, pattern: Self.escape(text) + "%")
        case .wildcard(let text): return Like(column: lowered, pattern: text.split(separator: "*", omittingEmptySubsequences: false).map { Self.escape(String($0)) }.joined(separator: "%"))
        }
    }

    static func escape(_ literal: String) -> String {
        var escaped = ""
        for character in literal.lowercased() {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    private struct Like: SQLExpression {
        let column: any SQLExpression
        let pattern: String

        func serialize(to serializer: inout SQLSerializer) {
            column.serialize(to: &serializer)
            serializer.write(" LIKE ")
            SQLBind(pattern).serialize(to: &serializer)
            serializer.write(" ESCAPE '\\'")
        }
    }
}

extension SQLSelectBuilder {
    /// Applies a window: `OFFSET first LIMIT max` (SQLite needs a LIMIT for an OFFSET, so "all" is the largest one).
    @discardableResult
    func window(_ window: ListWindow) -> Self {
        offset(window.first).limit(window.max ?? Int(Int32.max))
    }
}
