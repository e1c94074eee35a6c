import Domain

/// The parts of a user an administrator may set: names, email, whether it is enabled, and whether the password must
/// change. Absent fields stay as they are.
public struct UserProfile: Sendable, Equatable {
    public var email: String??
    public var firstName: String?
    public var lastName: String?
    public var enabled: Bool?
    public var emailVerified: Bool?
    public var mustChangePassword: Bool?

    public init(
        email: String?? = nil, firstName: String? = nil, lastName: String? = nil, enabled: Bool? = nil, emailVerified: Bool? = nil,
        mustChangePassword: Bool? = nil
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.enabled = enabled
        self.emailVerified = emailVerified
        self.mustChangePassword = mustChangePassword
    }

    func apply(to user: inout User) {
        if let email { user.email = email.flatMap { $0.isEmpty ? nil : $0 } }
        if let firstName { user.firstName = firstName }
        if let lastName { user.lastName = lastName }
        if let enabled { user.enabled = enabled }
        if let emailVerified { user.emailVerified = emailVerified }
        if let mustChangePassword { user.mustChangePassword = mustChangePassword }
    }
}

/// A password an administrator sets: 1 to 1,024 bytes (bcrypt reads at most 72 of them).
public struct UserPassword: Sendable {
    public let value: String

    public init(_ raw: String?, field: String = "password") throws(ValueError) {
        guard let raw, !raw.isEmpty else { throw ValueError(field: field, message: "Field required", rule: .missing) }
        guard raw.utf8.count <= 1_024 else { throw ValueError(field: field, message: "At most 1,024 bytes", rule: .tooLong) }
        value = raw
    }
}
