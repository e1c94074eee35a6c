/// A group's name: shown as written (spaces inside allowed, as Keycloak allows them), 1–255 bytes, and no `/`, which
/// separates the names in a group's path (Keycloak escapes a `/` in a name; refusing it keeps every path readable as it
/// is written).
public struct GroupName: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String?, field: String = "name") throws(ValueError) {
        guard let raw, !raw.allSatisfy(\.isWhitespace) else {
            throw ValueError(field: field, message: "Group name is missing", rule: .missing)
        }
        guard raw.utf8.count <= 255 else { throw ValueError(field: field, message: "Group name is longer than 255 bytes", rule: .tooLong) }
        guard !raw.contains("/"), raw.unicodeScalars.allSatisfy(Self.isShown) else {
            throw ValueError(field: field, message: "Group names may not hold '/' or control or invisible characters", rule: .pattern)
        }
        // Names that look alike must be alike: no spaces at either end, no "." or "..", which read as path steps.
        guard raw.first?.isWhitespace == false, raw.last?.isWhitespace == false, raw != ".", raw != ".." else {
            throw ValueError(field: field, message: "Group names may not start or end with a space, nor be '.' or '..'", rule: .pattern)
        }
        value = raw
    }

    public var description: String { value }

    /// A character that shows as itself: not a control (C0, DEL, C1), a format character (zero-width, direction
    /// overrides), a line or paragraph separator, or a private-use or unassigned one.
    static func isShown(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: false
        default: true
        }
    }
}
