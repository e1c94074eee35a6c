import Domain

/// A resource as an administrator gives it; `scopes` name authorization scopes by id or name.
public struct ResourceInput: Sendable {
    public var name: String
    public var displayName: String
    public var type: String
    public var uris: [String]
    public var iconURI: String
    public var ownerManagedAccess: Bool
    public var attributes: [String: [String]]
    public var scopes: [String]

    public init(
        name: String, displayName: String = "", type: String = "", uris: [String] = [], iconURI: String = "", ownerManagedAccess: Bool = false,
        attributes: [String: [String]] = [:], scopes: [String] = []
    ) {
        (self.name, self.displayName, self.type, self.uris, self.iconURI) = (name, displayName, type, uris, iconURI)
        (self.ownerManagedAccess, self.attributes, self.scopes) = (ownerManagedAccess, attributes, scopes)
    }
}

/// An authorization scope as an administrator gives it.
public struct AuthorizationScopeInput: Sendable {
    public var name: String
    public var displayName: String
    public var iconURI: String

    public init(name: String, displayName: String = "", iconURI: String = "") { (self.name, self.displayName, self.iconURI) = (name, displayName, iconURI) }
}

/// A policy or permission as an administrator gives it. Everything it names may be given by id or as Keycloak's
/// exports write it: roles by name (`clientId/role` for a client's), users by username, clients by `clientId`, groups
/// by path, resources, scopes and policies by name.
public struct PolicyInput: Sendable {
    public var name: String
    public var description: String
    /// Keycloak's type name (`role`, `time`, `resource`, …); nil when none was given.
    public var type: String?
    public var logic: String?
    public var decisionStrategy: String?
    public var roles: [(reference: String, required: Bool)]?
    public var users: [String]?
    public var clients: [String]?
    public var groups: [(reference: String, extendChildren: Bool)]?
    /// Keycloak's time fields (`TimeWindow.fieldNames`).
    public var time: [String: String]?
    public var resources: [String]?
    public var scopes: [String]?
    public var policies: [String]?
    public var resourceType: String?

    public init(name: String, description: String = "", type: String?) { (self.name, self.description, self.type) = (name, description, type) }
}

/// The bounds that keep one resource server's evaluation small: the `uma-ticket` grant reads all of it.
enum AuthorizationLimits {
    static let resources = 1000
    static let scopes = 200
    static let policies = 500
    /// Of any list in one input (URIs, attributes, roles, users, linked resources…).
    static let listItems = 100
    static let text = 2048
}
