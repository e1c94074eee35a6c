import Domain
import SQLKit
import Storage

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
    /// Keycloak's authorization services: on makes the client a resource server (with service accounts, as Keycloak
    /// does); off deletes its resources, scopes, policies and permissions.
    public var authorizationServicesEnabled: Bool?

    public init(
        name: String? = nil, enabled: Bool? = nil, isPublic: Bool? = nil, serviceAccountsEnabled: Bool? = nil, standardFlowEnabled: Bool? = nil,
        directAccessGrantsEnabled: Bool? = nil, redirectURIs: [String]? = nil, authorizationServicesEnabled: Bool? = nil
    ) {
        self.authorizationServicesEnabled = authorizationServicesEnabled
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
        if let authorizationServicesEnabled {
            client.authorizationServicesEnabled = authorizationServicesEnabled
            // Keycloak turns service accounts on with the services; not for its own clients (`realm-management`).
            if authorizationServicesEnabled && !KeycloakRealmLayout.clientIds.contains(client.clientId) { client.serviceAccountsEnabled = true }
        }
    }

    /// Writes the client's authorization services as its settings now say: turned on with Keycloak's defaults (unless
    /// already on), or off. Only a confidential client can be a resource server.
    static func applyAuthorization(of client: Client, by actor: Principal, on sql: any SQLDatabase) async throws {
        let store = AuthorizationStore(sql, clientId: client.id)
        let current = try await store.settings()
        // `realm-management`'s resource server decides who administers what (group permissions): only `realm-admin`
        // turns it on or off, as only `realm-admin` changes it.
        if (current != nil) != client.authorizationServicesEnabled, client.clientId == KeycloakRealmLayout.realmManagement {
            try Administration.authorize(actor, realm: client.realm, .realmAdmin)
        }
        if client.authorizationServicesEnabled {
            guard !client.isPublic else { throw AdministrationError.refused("Authorization services need a confidential client") }
            if current == nil { try await store.setSettings(ResourceServerSettings()) }
        } else if current != nil {
            try await store.setSettings(nil)
        }
    }
}

/// A client secret an administrator chooses: at least 8 printable characters without spaces. Keycloak takes any; 8
/// keeps out the empty and the trivial while scripts that set a known secret for a test client (python-keycloak's own
/// suite sets `test-secret`) still work. Guessing stays bounded by the token endpoint's throttle; generated secrets have
/// 32 random alphanumerics.
public struct ClientSecret: Sendable {
    public let value: String

    public init(_ raw: String, field: String = "secret") throws(ValueError) {
        guard raw.count >= Self.minimumLength, Names.isValidIdentifier(raw) else {
            throw ValueError(field: field, message: "Client secret must have at least \(Self.minimumLength) characters", rule: .tooShort)
        }
        value = raw
    }

    public static let minimumLength = 8

    /// 32 random alphanumerics, as Keycloak generates them.
    public static func generated() -> ClientSecret { try! ClientSecret(SecretGenerator.alphanumeric()) }
}
