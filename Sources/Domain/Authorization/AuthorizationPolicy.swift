/// A rule of a resource server (Keycloak's `PolicyRepresentation`): a policy says who or when (a role, a user, a
/// client, a group, a time, or several policies together); a permission (`resource` or `scope`) says which policies
/// guard which resources or scopes.
public struct AuthorizationPolicy: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var type: PolicyType
    public var logic: PolicyLogic
    /// How the associated policies combine (aggregates and permissions).
    public var decisionStrategy: DecisionStrategy
    public var conditions: PolicyConditions
    /// What a permission guards.
    public var resourceIds: [String]
    public var scopeIds: [String]
    /// The policies an aggregate or a permission combines.
    public var policyIds: [String]

    public init(
        id: String, name: String, description: String = "", type: PolicyType, logic: PolicyLogic = .positive, decisionStrategy: DecisionStrategy = .unanimous,
        conditions: PolicyConditions = PolicyConditions(), resourceIds: [String] = [], scopeIds: [String] = [], policyIds: [String] = []
    ) {
        (self.id, self.name, self.description, self.type, self.logic, self.decisionStrategy) = (id, name, description, type, logic, decisionStrategy)
        (self.conditions, self.resourceIds, self.scopeIds, self.policyIds) = (conditions, resourceIds, scopeIds, policyIds)
    }
}

/// The kinds of policy this server evaluates, by Keycloak's type names. Keycloak's `js` (disabled there since 18),
/// `regex` and `client-scope` are not among them: a policy of a kind that is not evaluated is refused, never kept.
public enum PolicyType: String, Sendable, Codable, CaseIterable {
    case role, user, client, group, time, aggregate
    /// Permissions: a resource permission guards resources (or every resource of a type), a scope permission scopes.
    case resource, scope

    public var isPermission: Bool { self == .resource || self == .scope }
}

/// What a policy checks; only the members of its type are set.
public struct PolicyConditions: Sendable, Equatable, Codable {
    public var roles: [RoleCondition]?
    public var users: [String]?
    public var clients: [String]?
    public var groups: [GroupCondition]?
    public var time: TimeWindow?
    /// A resource permission's `resourceType`: it applies to every resource of that type.
    public var resourceType: String?

    public init(
        roles: [RoleCondition]? = nil, users: [String]? = nil, clients: [String]? = nil, groups: [GroupCondition]? = nil, time: TimeWindow? = nil,
        resourceType: String? = nil
    ) {
        (self.roles, self.users, self.clients, self.groups, self.time, self.resourceType) = (roles, users, clients, groups, time, resourceType)
    }
}

/// A role a role policy looks for; `required` ones must all be held.
public struct RoleCondition: Sendable, Equatable, Codable {
    public var roleId: String
    public var required: Bool

    public init(roleId: String, required: Bool = false) { (self.roleId, self.required) = (roleId, required) }
}

/// A group a group policy looks for; with `extendChildren`, membership of any group below it counts too.
public struct GroupCondition: Sendable, Equatable, Codable {
    public var groupId: String
    public var extendChildren: Bool

    public init(groupId: String, extendChildren: Bool = false) { (self.groupId, self.extendChildren) = (groupId, extendChildren) }
}
