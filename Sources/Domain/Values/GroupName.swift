/// A group's name: printable (spaces allowed, as Keycloak allows them), 1–255 bytes, and no `/`, which separates the
/// names in a group's path (Keycloak escapes a `/` in a name; refusing it keeps every path readable as it is written).
public struct GroupName: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String?, field: String = "name") throws(ValueError) {
        guard let raw, !raw.allSatisfy(\.isWhitespace) else {
            throw ValueError(field: field, message: "Group name is missing", rule: .missing)
        }
        guard raw.utf8.count <= 255 else { throw ValueError(field: field, message: "Group name is longer than 255 bytes", rule: .tooLong) }
        guard !raw.contains("/"), raw.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw ValueError(field: field, message: "Group names may not hold '/' or control characters", rule: .pattern)
        }
        value = raw
    }

    public var description: String { value }
}
