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
    /// Keycloak's `CONFIGURE_TOTP` required action.
    public var mustConfigureOTP: Bool?
    /// Replaces all of the user's attributes when given (Keycloak's `PUT` does the same).
    public var attributes: UserAttributes?

    public init(
        email: String?? = nil, firstName: String? = nil, lastName: String? = nil, enabled: Bool? = nil, emailVerified: Bool? = nil,
        mustChangePassword: Bool? = nil, attributes: UserAttributes? = nil, mustConfigureOTP: Bool? = nil
    ) {
        self.mustConfigureOTP = mustConfigureOTP
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.enabled = enabled
        self.emailVerified = emailVerified
        self.mustChangePassword = mustChangePassword
        self.attributes = attributes
    }

    /// Keycloak's column size for names and email: longer ones are refused, by every front end alike.
    public static let maximumLength = 255

    /// Refuses a name or an email longer than `maximumLength` characters (`ValueError` naming Keycloak's field).
    public func validate() throws(ValueError) {
        for (field, value) in [("email", email ?? nil), ("firstName", firstName), ("lastName", lastName)] {
            guard let value, value.count > Self.maximumLength else { continue }
            throw ValueError(field: field, message: "At most 255 characters", rule: .tooLong)
        }
    }

    func apply(to user: inout User) {
        if let email { user.email = email.flatMap { $0.isEmpty ? nil : $0 } }
        if let firstName { user.firstName = firstName }
        if let lastName { user.lastName = lastName }
        if let enabled { user.enabled = enabled }
        if let emailVerified { user.emailVerified = emailVerified }
        if let mustChangePassword { user.mustChangePassword = mustChangePassword }
        if let mustConfigureOTP { user.mustConfigureOTP = mustConfigureOTP }
        if let attributes { user.attributes = attributes.values }
    }
}

/// A user's attributes as an administrator or an import gives them: at most 100 names of 1 to 255 characters, each
/// with at most 100 values of at most 2,048 characters (Keycloak's own column sizes), so no request stores megabytes.
public struct UserAttributes: Sendable, Equatable {
    public let values: [String: [String]]

    public init(_ raw: [String: [String]]) throws(ValueError) {
        guard raw.count <= 100 else { throw ValueError(field: "attributes", message: "At most 100 attributes", rule: .tooLong) }
        for (name, list) in raw {
            guard (1...255).contains(name.count) else { throw ValueError(field: "attributes", message: "Attribute names have 1 to 255 characters", rule: .tooLong) }
            guard list.count <= 100, list.allSatisfy({ $0.count <= 2_048 }) else {
                throw ValueError(field: "attributes", message: "At most 100 values of at most 2,048 characters per attribute", rule: .tooLong)
            }
        }
        values = raw
    }
}
