/// Who is asking, as a resource server's policies see them: read from storage at the moment of asking, so a role or
/// membership taken away counts at once, whatever an older token says.
public struct AuthorizationIdentity: Sendable, Equatable {
    public var userId: String
    /// The internal id of the client the token was issued to.
    public var clientId: String?
    /// Every role held, composites and groups included.
    public var roleIds: Set<String>
    /// The groups the user is a member of.
    public var groupIds: Set<String>
    /// Those groups and every group above them.
    public var groupLineage: Set<String>

    public init(userId: String, clientId: String?, roleIds: Set<String>, groupIds: Set<String>, groupLineage: Set<String>) {
        (self.userId, self.clientId, self.roleIds, self.groupIds, self.groupLineage) = (userId, clientId, roleIds, groupIds, groupLineage)
    }
}

/// One permission asked for: a resource with some of its scopes (none: all it offers), or scopes on whichever
/// resources offer them (`resourceId` nil).
public struct PermissionRequest: Sendable, Equatable {
    public var resourceId: String?
    public var scopeIds: [String]

    public init(resourceId: String?, scopeIds: [String] = []) { (self.resourceId, self.scopeIds) = (resourceId, scopeIds) }
}

/// A resource the identity may reach, with the scopes granted on it (empty for a resource that offers none).
public struct GrantedPermission: Sendable, Equatable {
    public var resource: ProtectedResource
    public var scopes: [AuthorizationScope]
}

/// Keycloak's policy decision point for one resource server. For each resource (and each of its scopes) asked for, the
/// permissions that apply are found — resource permissions naming it or its type, scope permissions naming the scope
/// (for it, or for any resource) — each decides by its policies and its own strategy, and the server's strategy
/// combines them. Where none applies, the enforcement mode decides. A permission without policies denies.
public struct PolicyEvaluator: Sendable {
    let settings: ResourceServerSettings
    let resources: [ProtectedResource]
    let scopes: [String: AuthorizationScope]
    let policies: [String: AuthorizationPolicy]
    let permissions: [AuthorizationPolicy]

    public init(settings: ResourceServerSettings, resources: [ProtectedResource], scopes: [AuthorizationScope], policies: [AuthorizationPolicy]) {
        self.settings = settings
        self.resources = resources
        self.scopes = Dictionary(scopes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.policies = Dictionary(policies.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.permissions = policies.filter(\.type.isPermission)
    }

    /// What of `requests` the identity is granted (nothing asked: every resource), at `epoch` seconds.
    public func evaluate(_ requests: [PermissionRequest], for identity: AuthorizationIdentity, at epoch: Int) -> [GrantedPermission] {
        var memo: [String: Bool] = [:]
        var granted: [GrantedPermission] = []
        for (resource, asked) in targets(requests) {
            if asked.isEmpty {
                if decide(resource, scopeId: nil, identity, epoch, &memo) { granted.append(GrantedPermission(resource: resource, scopes: [])) }
                continue
            }
            let scopeIds = asked.filter { decide(resource, scopeId: $0, identity, epoch, &memo) }
            if !scopeIds.isEmpty { granted.append(GrantedPermission(resource: resource, scopes: scopeIds.compactMap { scopes[$0] })) }
        }
        return granted
    }

    /// Each resource asked about, with the scopes asked (all it offers when none were named), in the order asked.
    private func targets(_ requests: [PermissionRequest]) -> [(ProtectedResource, [String])] {
        let byId = Dictionary(resources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard !requests.isEmpty else { return resources.map { ($0, $0.scopeIds) } }
        var order: [String] = []
        var asked: [String: [String]] = [:]
        func add(_ resource: ProtectedResource, _ scopeIds: [String]) {
            if asked[resource.id] == nil { order.append(resource.id) }
            let wanted = scopeIds.isEmpty ? resource.scopeIds : scopeIds.filter(resource.scopeIds.contains)
            asked[resource.id, default: []].append(contentsOf: wanted.filter { !(asked[resource.id] ?? []).contains($0) })
        }
        for request in requests {
            if let id = request.resourceId {
                if let resource = byId[id] { add(resource, request.scopeIds) }
            } else {
                for resource in resources where request.scopeIds.contains(where: resource.scopeIds.contains) { add(resource, request.scopeIds) }
            }
        }
        return order.compactMap { id in byId[id].map { ($0, asked[id] ?? []) } }
    }

    /// The server's decision on one resource, or one of its scopes.
    private func decide(_ resource: ProtectedResource, scopeId: String?, _ identity: AuthorizationIdentity, _ epoch: Int, _ memo: inout [String: Bool]) -> Bool {
        if settings.enforcementMode == .disabled { return true }
        let applying = permissions.filter { applies($0, to: resource, scopeId: scopeId) }
        guard !applying.isEmpty else { return settings.enforcementMode == .permissive }
        let grants = applying.filter { outcome(of: $0, identity, epoch, &memo, depth: 0) }.count
        return settings.decisionStrategy.decide(grants: grants, denies: applying.count - grants)
    }

    private func applies(_ permission: AuthorizationPolicy, to resource: ProtectedResource, scopeId: String?) -> Bool {
        let namesResource = permission.resourceIds.contains(resource.id)
        let namesType = permission.resourceIds.isEmpty && !(permission.conditions.resourceType ?? "").isEmpty && permission.conditions.resourceType == resource.type
        switch permission.type {
        case .resource: return namesResource || namesType
        case .scope:
            guard let scopeId, permission.scopeIds.contains(scopeId) else { return false }
            return permission.resourceIds.isEmpty ? (permission.conditions.resourceType.map { $0.isEmpty || $0 == resource.type } ?? true) : namesResource
        default: return false
        }
    }

    /// A policy's outcome after its logic. Aggregates nest at most 16 deep; a loop (which writes refuse) denies.
    private func outcome(of policy: AuthorizationPolicy, _ identity: AuthorizationIdentity, _ epoch: Int, _ memo: inout [String: Bool], depth: Int) -> Bool {
        if let known = memo[policy.id] { return known }
        guard depth < 16 else { return false }
        memo[policy.id] = false
        let granted: Bool
        switch policy.type {
        case .role: granted = Self.roleGrants(policy.conditions.roles ?? [], identity.roleIds)
        case .user: granted = (policy.conditions.users ?? []).contains(identity.userId)
        case .client: granted = identity.clientId.map { (policy.conditions.clients ?? []).contains($0) } ?? false
        case .group:
            granted = (policy.conditions.groups ?? []).contains { ($0.extendChildren ? identity.groupLineage : identity.groupIds).contains($0.groupId) }
        case .time: granted = policy.conditions.time?.contains(epoch: epoch) ?? false
        case .aggregate, .resource, .scope:
            let members = policy.policyIds.compactMap { policies[$0] }
            let grants = members.filter { outcome(of: $0, identity, epoch, &memo, depth: depth + 1) }.count
            granted = policy.decisionStrategy.decide(grants: grants, denies: members.count - grants)
        }
        let result = policy.logic.apply(granted)
        memo[policy.id] = result
        return result
    }

    /// Keycloak's role policy: any listed role held, and every required one.
    static func roleGrants(_ conditions: [RoleCondition], _ held: Set<String>) -> Bool {
        var any = false
        for condition in conditions {
            let has = held.contains(condition.roleId)
            if condition.required && !has { return false }
            any = any || has
        }
        return any
    }
}
