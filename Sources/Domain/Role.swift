/// A realm role (clientId nil) or a client role, possibly composite.
public struct Role: Sendable, Equatable, Hashable {
    public var id: String
    public var realm: String
    /// Internal id of the owning client for client roles; nil for realm roles.
    public var clientId: String?
    public var name: String
    public var description: String
    public var composite: Bool

    public init(id: String, realm: String, clientId: String? = nil, name: String, description: String = "", composite: Bool = false) {
        self.id = id
        self.realm = realm
        self.clientId = clientId
        self.name = name
        self.description = description
        self.composite = composite
    }
}

/// The role names every realm gets and what deployment hands out.
public enum NexusOneRoles {
    public static let admin = "nx1_admin"
    public static let ask = "nx1_ask"
    public static let engineer = "nx1_engineer"
    /// Every `nx1_*` role but `nx1_admin`: what the deployment's service account receives.
    public static let defaults = ["nx1_app_manager", ask, engineer, "nx1_ingest", "nx1_monitor", "nx1_monitor_admin"]
    public static let all = defaults + [admin]
    /// Keycloak's built-in realm roles, children of `default-roles-<realm>`.
    public static let builtIn = ["offline_access", "uma_authorization"]

    public static func defaultComposite(realm: String) -> String { "default-roles-\(realm.lowercased())" }
}
