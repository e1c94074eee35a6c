/// A realm role (clientId nil) or a client role, possibly composite.
public struct Role: Sendable, Equatable, Hashable {
    public var id: String
    public var realm: String
    /// Internal id of the owning client for client roles; nil for realm roles.
    public var clientId: String?
    public var name: String
    public var description: String
    public var composite: Bool
    /// Keycloak's role attributes: names holding lists of values, for tools to keep what they need beside a role.
    public var attributes: [String: [String]]

    public init(
        id: String, realm: String, clientId: String? = nil, name: String, description: String = "", composite: Bool = false,
        attributes: [String: [String]] = [:]
    ) {
        self.id = id
        self.realm = realm
        self.clientId = clientId
        self.name = name
        self.description = description
        self.composite = composite
        self.attributes = attributes
    }
}

/// The NexusOne roles every realm gets (the product's own vocabulary), typed so no front end spells one.
public enum NexusOneRole: String, CaseIterable, Sendable {
    case appManager = "nx1_app_manager"
    case ask = "nx1_ask"
    case engineer = "nx1_engineer"
    case ingest = "nx1_ingest"
    case monitor = "nx1_monitor"
    case monitorAdmin = "nx1_monitor_admin"
    case admin = "nx1_admin"
}

/// The role names every realm gets and what deployment hands out.
public enum NexusOneRoles {
    public static let admin = NexusOneRole.admin.rawValue
    public static let ask = NexusOneRole.ask.rawValue
    public static let engineer = NexusOneRole.engineer.rawValue
    /// Every NexusOne role but `nx1_admin`: what the deployment's service account receives.
    public static let defaults = NexusOneRole.allCases.filter { $0 != .admin }.map(\.rawValue)
    public static let all = defaults + [admin]
    /// Keycloak's built-in realm roles, children of `default-roles-<realm>`.
    public static let builtIn = ["offline_access", "uma_authorization"]

    /// Whether a role name is one of NexusOne's (what the portal shows of a person's roles).
    public static func isProductRole(_ name: String) -> Bool { NexusOneRole(rawValue: name) != nil }

    public static func defaultComposite(realm: String) -> String { "default-roles-\(realm.lowercased())" }
}
