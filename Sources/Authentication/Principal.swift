/// Who is calling: the result of authentication, whatever the credential was.
public struct Principal: Sendable, Equatable {
    public enum Credential: String, Sendable, Codable {
        case bearer
        case psk
    }

    /// The user's UUID (`sub`).
    public var subject: String
    public var username: String
    public var realm: String
    /// Effective realm roles, composites expanded.
    public var roles: Set<String>
    /// The client the token was issued to (`azp`).
    public var clientId: String?
    public var sessionId: String?
    public var credential: Credential
    /// Set for a data-product key: the one product whose rows it may read. Such a principal holds no roles.
    public var dataProductId: String?

    public init(
        subject: String, username: String, realm: String, roles: Set<String>, clientId: String? = nil, sessionId: String? = nil,
        credential: Credential, dataProductId: String? = nil
    ) {
        self.subject = subject
        self.username = username
        self.realm = realm
        self.roles = roles
        self.clientId = clientId
        self.sessionId = sessionId
        self.credential = credential
        self.dataProductId = dataProductId
    }

    public func has(role: String) -> Bool { roles.contains(role) }
}
