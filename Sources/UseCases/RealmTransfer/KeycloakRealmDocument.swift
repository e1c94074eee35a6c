import Domain

/// A realm in Keycloak's export format (`kc.sh export`, the admin console's "Partial export"): the parts this server
/// keeps. Everything else in a file (flows, identity providers, …) is read past and reported by the import.
public struct KeycloakRealmDocument: Codable, Sendable, Equatable {
    public var id: String?
    public var realm: String
    public var enabled: Bool?
    public var accessTokenLifespan: Int?
    public var ssoSessionIdleTimeout: Int?
    public var notBefore: Int?
    public var defaultSignatureAlgorithm: String?
    public var passwordPolicy: String?
    public var roles: Roles?
    public var defaultRole: Role?
    public var clients: [Client]?
    public var users: [User]?
    /// The top-level groups, each with the tree below it.
    public var groups: [Group]?
    /// Present in exports; only counted, to say that they were not imported.
    public var identityProviders: [Ignored]?

    public init(realm: String) { self.realm = realm }

    public struct Roles: Codable, Sendable, Equatable {
        public var realm: [Role]?
        /// Client roles by `clientId`.
        public var client: [String: [Role]]?

        public init(realm: [Role]? = nil, client: [String: [Role]]? = nil) {
            self.realm = realm
            self.client = client
        }
    }

    public struct Role: Codable, Sendable, Equatable {
        public var id: String?
        public var name: String
        public var description: String?
        public var composite: Bool?
        public var composites: Composites?
        public var clientRole: Bool?
        public var containerId: String?
        public var attributes: [String: [String]]?

        public init(
            id: String? = nil, name: String, description: String? = nil, composite: Bool? = nil, composites: Composites? = nil, clientRole: Bool? = nil,
            containerId: String? = nil
        ) {
            self.id = id
            self.name = name
            self.description = description
            self.composite = composite
            self.composites = composites
            self.clientRole = clientRole
            self.containerId = containerId
        }
    }

    public struct Composites: Codable, Sendable, Equatable {
        public var realm: [String]?
        /// Client role names by `clientId`.
        public var client: [String: [String]]?

        public init(realm: [String]? = nil, client: [String: [String]]? = nil) {
            self.realm = realm
            self.client = client
        }
    }

    public struct Client: Codable, Sendable, Equatable {
        public var id: String?
        public var clientId: String
        public var name: String?
        public var enabled: Bool?
        public var publicClient: Bool?
        public var bearerOnly: Bool?
        /// `**********` in exports made without secrets.
        public var secret: String?
        public var redirectUris: [String]?
        /// What relative redirect URIs (`/*`, Keycloak's console default) are relative to.
        public var rootUrl: String?
        public var standardFlowEnabled: Bool?
        public var directAccessGrantsEnabled: Bool?
        public var serviceAccountsEnabled: Bool?
        public var `protocol`: String?
        public var clientAuthenticatorType: String?

        public init(clientId: String) { self.clientId = clientId }
    }

    public struct User: Codable, Sendable, Equatable {
        public var id: String?
        public var createdTimestamp: Int?
        public var username: String
        public var enabled: Bool?
        public var emailVerified: Bool?
        public var firstName: String?
        public var lastName: String?
        public var email: String?
        public var attributes: [String: [String]]?
        public var credentials: [Credential]?
        public var requiredActions: [String]?
        public var realmRoles: [String]?
        /// Client role names by `clientId`.
        public var clientRoles: [String: [String]]?
        /// The `clientId` whose service account this user is.
        public var serviceAccountClientId: String?
        public var groups: [String]?

        public init(username: String) { self.username = username }
    }

    /// A group with its own role mappings and the groups below it.
    public struct Group: Codable, Sendable, Equatable {
        public var id: String?
        public var name: String
        public var path: String?
        public var attributes: [String: [String]]?
        public var realmRoles: [String]?
        /// Client role names by `clientId`.
        public var clientRoles: [String: [String]]?
        public var subGroups: [Group]?

        public init(name: String) { self.name = name }
    }

    /// A stored credential: `secretData` and `credentialData` are JSON documents inside strings, as Keycloak writes them.
    public struct Credential: Codable, Sendable, Equatable {
        public var id: String?
        public var type: String?
        public var userLabel: String?
        public var createdDate: Int?
        public var secretData: String?
        public var credentialData: String?

        public init() {}
    }

    /// Anything, read and counted but not kept.
    public struct Ignored: Codable, Sendable, Equatable {
        public init(from decoder: any Decoder) throws {}
        public func encode(to encoder: any Encoder) throws {}
    }

    /// What Keycloak writes in place of a secret it does not export.
    public static let maskedSecret = "**********"
    /// Clients every Keycloak realm has; this server has its own equivalents or none, so they are not imported.
    public static let builtInClients: Set<String> = KeycloakRealmLayout.clientIds
}
