/// A password, as anyone sets it: 1 to 1,024 bytes (bcrypt reads at most 72 of them). One that people choose for
/// themselves (the forced change at sign-in) has at least `chosenMinimum` characters and differs from the one it
/// replaces; one an administrator sets may be shorter, as Keycloak allows when a realm has no password policy.
public struct UserPassword: Sendable {
    public enum Setter: Sendable {
        case administrator
        case owner
    }

    public static let chosenMinimum = 8
    public static let chosenTooShort = "Choose a new password of at least \(chosenMinimum) characters."
    public static let chosenSameAsBefore = "Choose a password different from the current one."

    public let value: String

    public init(_ raw: String?, field: String = "password", setBy setter: Setter = .administrator) throws(ValueError) {
        guard let raw, !raw.isEmpty else {
            throw ValueError(field: field, message: setter == .owner ? Self.chosenTooShort : "Field required", rule: .missing)
        }
        guard raw.utf8.count <= 1_024 else { throw ValueError(field: field, message: "At most 1,024 bytes", rule: .tooLong) }
        if setter == .owner, raw.count < Self.chosenMinimum { throw ValueError(field: field, message: Self.chosenTooShort, rule: .tooShort) }
        value = raw
    }
}
