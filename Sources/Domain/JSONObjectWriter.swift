/// Writes one JSON object (RFC 8259) straight into bytes, members in the order they are written.
///
/// For the token endpoint's hot path: token claims and token responses. Foundation's `JSONEncoder` took a tenth of a
/// token request's time, and it does not keep member order, which people compare with Keycloak's by eye.
public struct JSONObjectWriter: Sendable {
    private var bytes: [UInt8]
    private var isEmpty = true

    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// A string member; nothing when the value is nil (as `encodeIfPresent` does).
    public mutating func string(_ name: String, _ value: String?) {
        guard let value else { return }
        member(name)
        Self.appendQuoted(value, to: &bytes)
    }

    public mutating func int(_ name: String, _ value: Int?) {
        guard let value else { return }
        member(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func bool(_ name: String, _ value: Bool?) {
        guard let value else { return }
        member(name)
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    public mutating func strings(_ name: String, _ values: [String]?) {
        guard let values else { return }
        member(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendQuoted(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A nested object, written by `body`.
    public mutating func object(_ name: String, _ body: (inout JSONObjectWriter) -> Void) {
        member(name)
        var nested = JSONObjectWriter(capacity: 64)
        body(&nested)
        bytes.append(contentsOf: nested.finish())
    }

    /// Any JSON value a mapper made.
    public mutating func claim(_ name: String, _ value: ClaimValue) {
        member(name)
        value.appendJSON(to: &bytes)
    }

    /// The object with its closing brace.
    public consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func member(_ name: String) {
        if !isEmpty { bytes.append(UInt8(ascii: ",")) }
        isEmpty = false
        Self.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A JSON string: `"` and `\` escaped, control characters as their short escapes or `\u00XX`, everything else as
    /// its UTF-8 (slashes unescaped, as `.withoutEscapingSlashes`).
    public static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Nearly every string (names, ids, URLs, roles) needs no escape: copy it whole.
        var string = string
        let plain = string.withUTF8 { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            case 0..<0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                Hex.append(CollectionOfOne(byte), to: &bytes)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
