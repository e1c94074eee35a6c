/// Keycloak's authorization services on one client, its *resource server*: what it protects (resources and their
/// scopes), the rules (policies) and which rules guard what (permissions). A client has one when
/// `authorizationServicesEnabled` is on; its applications ask the token endpoint (`uma-ticket` grant) what a user may do.
public struct ResourceServerSettings: Sendable, Equatable, Codable {
    /// What happens to a resource no permission names (Keycloak's `policyEnforcementMode`).
    public enum EnforcementMode: String, Sendable, Codable, CaseIterable {
        /// Refused: nothing is reachable unless a permission grants it.
        case enforcing = "ENFORCING"
        /// Allowed: permissions decide only where they exist.
        case permissive = "PERMISSIVE"
        /// Everything is allowed; no policy is evaluated.
        case disabled = "DISABLED"
    }

    public var enforcementMode: EnforcementMode
    /// How the permissions that apply to one resource (or scope) combine.
    public var decisionStrategy: DecisionStrategy
    /// Keycloak's flag for its protection API, kept and reported (the protection API itself is not served).
    public var allowRemoteResourceManagement: Bool

    public init(enforcementMode: EnforcementMode = .enforcing, decisionStrategy: DecisionStrategy = .unanimous, allowRemoteResourceManagement: Bool = true) {
        (self.enforcementMode, self.decisionStrategy, self.allowRemoteResourceManagement) = (enforcementMode, decisionStrategy, allowRemoteResourceManagement)
    }
}

/// How several decisions make one (Keycloak's `decisionStrategy`), for a permission's policies, an aggregate policy's
/// members and the permissions that apply to one resource.
public enum DecisionStrategy: String, Sendable, Codable, CaseIterable {
    /// Every one grants (and there is at least one).
    case unanimous = "UNANIMOUS"
    /// At least one grants.
    case affirmative = "AFFIRMATIVE"
    /// More grant than deny.
    case consensus = "CONSENSUS"

    public func decide(grants: Int, denies: Int) -> Bool {
        switch self {
        case .unanimous: grants > 0 && denies == 0
        case .affirmative: grants > 0
        case .consensus: grants > denies
        }
    }
}

/// Whether a policy's outcome stands or is turned round (Keycloak's `logic`).
public enum PolicyLogic: String, Sendable, Codable, CaseIterable {
    case positive = "POSITIVE"
    case negative = "NEGATIVE"

    public func apply(_ granted: Bool) -> Bool { self == .positive ? granted : !granted }
}

/// Something a resource server protects (Keycloak's `ResourceRepresentation`): named, typed, reached at `uris`, with
/// the scopes (actions) it offers.
public struct ProtectedResource: Sendable, Equatable {
    public var id: String
    public var name: String
    public var displayName: String
    /// A free-form type (`urn:app:resources:account`); a permission may apply to every resource of one type.
    public var type: String
    public var uris: [String]
    public var iconURI: String
    public var ownerManagedAccess: Bool
    public var attributes: [String: [String]]
    public var scopeIds: [String]

    public init(
        id: String, name: String, displayName: String = "", type: String = "", uris: [String] = [], iconURI: String = "", ownerManagedAccess: Bool = false,
        attributes: [String: [String]] = [:], scopeIds: [String] = []
    ) {
        (self.id, self.name, self.displayName, self.type, self.uris, self.iconURI) = (id, name, displayName, type, uris, iconURI)
        (self.ownerManagedAccess, self.attributes, self.scopeIds) = (ownerManagedAccess, attributes, scopeIds)
    }
}

/// An action on resources (Keycloak's authorization `ScopeRepresentation`: `view`, `edit`, …) — not a client scope.
public struct AuthorizationScope: Sendable, Equatable {
    public var id: String
    public var name: String
    public var displayName: String
    public var iconURI: String

    public init(id: String, name: String, displayName: String = "", iconURI: String = "") {
        (self.id, self.name, self.displayName, self.iconURI) = (id, name, displayName, iconURI)
    }
}
