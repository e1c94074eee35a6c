import Domain

/// The settings of a client an administrator may give (Keycloak's `ClientRepresentation`); absent ones stay as they
/// are, and a new client is confidential unless `isPublic` says otherwise.
public struct ClientSettings: Sendable, Equatable {
    public var name: String?
    public var enabled: Bool?
    public var isPublic: Bool?
    public var serviceAccountsEnabled: Bool?
    public var standardFlowEnabled: Bool?
    public var directAccessGrantsEnabled: Bool?
    public var redirectURIs: [String]?

    public init(
        name: String? = nil, enabled: Bool? = nil, isPublic: Bool? = nil, serviceAccountsEnabled: Bool? = nil, standardFlowEnabled: Bool? = nil,
        directAccessGrantsEnabled: Bool? = nil, redirectURIs: [String]? = nil
    ) {
        self.name = name
        self.enabled = enabled
        self.isPublic = isPublic
        self.serviceAccountsEnabled = serviceAccountsEnabled
        self.standardFlowEnabled = standardFlowEnabled
        self.directAccessGrantsEnabled = directAccessGrantsEnabled
        self.redirectURIs = redirectURIs
    }

    func apply(to client: inout Client) {
        if let name { client.name = name }
        if let enabled { client.enabled = enabled }
        if let isPublic { client.isPublic = isPublic }
        if let serviceAccountsEnabled { client.serviceAccountsEnabled = serviceAccountsEnabled }
        if let standardFlowEnabled { client.standardFlowEnabled = standardFlowEnabled }
        if let directAccessGrantsEnabled { client.directAccessGrantsEnabled = directAccessGrantsEnabled }
        if let redirectURIs { client.redirectURIs = redirectURIs }
    }
}

/// A client secret an administrator chooses: at least 16 printable characters without spaces.
public struct ClientSecret: Sendable {
    public let value: String

    public init(_ raw: String, field: String = "secret") throws(ValueError) {
        guard raw.count >= 16, Names.isValidIdentifier(raw) else {
            throw ValueError(field: field, message: "Client secret must have at least 16 characters", rule: .tooLong)
        }
        value = raw
    }

    /// 32 random alphanumerics, as Keycloak generates them.
    public static func generated() -> ClientSecret { try! ClientSecret(SecretGenerator.alphanumeric()) }
}
