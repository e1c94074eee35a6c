import Foundation

/// `application/x-www-form-urlencoded` (WHATWG URL §5): `&`-separated `name=value` pairs, `+` for a space, percent
/// escapes. Shared by the realm's forms, the portal's forms and the data route's query string.
public enum FormURLEncoding {
    /// `+` as a space, then percent-decoding; nil when the escapes do not form UTF-8.
    public static func decode(_ raw: Substring) -> String? {
        raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The pairs in order, names and values decoded (a value is nil when it does not decode; "" when absent).
    public static func pairs(_ text: Substring) -> [(name: String?, value: String?)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
