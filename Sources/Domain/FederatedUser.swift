/// A user of a federated realm as an external issuer's token describes them; recorded locally so their Personal
/// PSKs, data-product keys, queries and audit entries have an owner.
public struct FederatedUser: Sendable, Hashable {
    public var realm: String
    /// The token's `sub`: the user's id here too.
    public var id: String
    public var username: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var emailVerified: Bool
    /// Realm and client roles from the token; the local realm roles of these names are what their PSKs carry.
    public var roles: Set<String>

    public init(
        realm: String, id: String, username: String, email: String? = nil, firstName: String? = nil, lastName: String? = nil, emailVerified: Bool = false,
        roles: Set<String>
    ) {
        self.realm = realm
        self.id = id
        self.username = username
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.emailVerified = emailVerified
        self.roles = roles
    }
}
