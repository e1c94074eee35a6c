/// A client id, username or role name (Keycloak's rules: printable, no whitespace, 1–255 bytes). Usernames are kept in
/// lower case, as Keycloak stores them.
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String?, field: String) throws(ValueError) {
        guard let raw, !raw.isEmpty else { throw ValueError(field: field, message: "Field required", rule: .missing) }
        guard Names.isValidIdentifier(raw) else {
            throw ValueError(field: field, message: "Use printable characters without spaces, at most 255 bytes", rule: .pattern)
        }
        value = raw
    }

    /// A username: an identifier, in lower case.
    public static func username(_ raw: String?, field: String = "username") throws(ValueError) -> Identifier {
        try Identifier(raw?.lowercased(), field: field)
    }

    public var description: String { value }
}
