import Foundation

/// How a text column is matched in a search, case-insensitively. The caller's text is always literal — a `%` or `_`
/// in it matches itself, never "anything" — except the `*` of `wildcard`, which stands for any run of characters.
public enum TextMatch: Sendable, Equatable {
    case equals(String)
    case contains(String)
    case prefix(String)
    /// `*` matches anything (Keycloak's `search=*foo*`); everything else is literal.
    case wildcard(String)

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
}
