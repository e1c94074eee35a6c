import Domain
import Foundation
import SQLKit

/// How a text column is matched in a search, case-insensitively. The caller's text is always literal — a `%` or `_`
/// in it matches itself, never "anything" — except the `*` of `wildcard`, which stands for any run of characters.
public enum TextMatch: Sendable, Equatable {
    case equals(String)
    case contains(String)
    case prefix(String)
    /// `*` matches anything (Keycloak's `search=*foo*`); everything else is literal.
    case wildcard(String)

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

    /// Whether `value` matches, for lists filtered in memory.
    public func matches(_ value: String?) -> Bool {
        guard let value = value?.lowercased() else { return false }
        switch self {
        case .equals(let text): return value == text.lowercased()
        case .contains(let text): return text.isEmpty || value.contains(text.lowercased())
        case .prefix(let text): return value.hasPrefix(text.lowercased())
        case .wildcard(let text):
            var rest = Substring(value)
            let parts = text.lowercased().split(separator: "*", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                if index == 0 {
                    guard rest.hasPrefix(part) else { return false }
                    rest = rest.dropFirst(part.count)
                } else if index == parts.count - 1 {
                    return part.isEmpty || rest.hasSuffix(part)
                } else if !part.isEmpty {
                    guard let found = rest.range(of: part) else { return false }
                    rest = rest[found.upperBound...]
                }
            }
            return rest.isEmpty
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
