/// A person or a client's service account in a realm. The password hash lives only in storage.
public struct User: Sendable, Equatable {
    public var id: String
    public var realm: String
    public var username: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var enabled: Bool
    public var emailVerified: Bool
    /// Set for service-account users: the internal id of the client they stand for.
    public var serviceAccountClientId: String?
    /// The user must choose a new password at the next interactive login.
    public var mustChangePassword: Bool
    /// The user must set up an authenticator at the next interactive login (Keycloak's `CONFIGURE_TOTP`).
    public var mustConfigureOTP: Bool
    public var createdAt: Int
    /// Keycloak's free-form attributes: each name holds a list of values.
    public var attributes: [String: [String]]

    public init(
        id: String,
        realm: String,
        username: String,
        email: String? = nil,
        firstName: String? = nil,
        lastName: String? = nil,
        enabled: Bool = true,
        emailVerified: Bool = false,
        serviceAccountClientId: String? = nil,
        mustChangePassword: Bool = false,
        createdAt: Int,
        attributes: [String: [String]] = [:],
        mustConfigureOTP: Bool = false
    ) {
        self.mustConfigureOTP = mustConfigureOTP
        self.id = id
        self.realm = realm
        self.username = username
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.enabled = enabled
        self.emailVerified = emailVerified
        self.serviceAccountClientId = serviceAccountClientId
        self.mustChangePassword = mustChangePassword
        self.createdAt = createdAt
        self.attributes = attributes
    }

    /// "First Last", or nil when neither is known (Keycloak omits `name` then).
    public var fullName: String? {
        let parts = [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
