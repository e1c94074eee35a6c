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
///
/// Permissions are indexed by resource, type and scope once, each permission's outcome is worked out once per
/// evaluation, and one evaluation examines at most `workLimit` candidate permissions: a resource server built to be
/// expensive (every permission naming every resource and scope) is refused (`TooLarge`) rather than burning a core.
public struct PolicyEvaluator: Sendable {
    /// An evaluation that would examine more than `workLimit` candidate permissions.
    public struct TooLarge: Error, Equatable {}

    public static let workLimit = 1_000_000

    let settings: ResourceServerSettings
    let resources: [ProtectedResource]
    let scopes: [String: AuthorizationScope]
    let policies: [String: AuthorizationPolicy]
    /// Resource permissions by the resource they name, and (naming none) by the type they apply to.
    let byResource: [String: [AuthorizationPolicy]]
    let byType: [String: [AuthorizationPolicy]]
    /// Scope permissions by the scope they name, with the resources they are limited to (empty: any).
    let byScope: [String: [(permission: AuthorizationPolicy, resources: Set<String>)]]

    public init(settings: ResourceServerSettings, resources: [ProtectedResource], scopes: [AuthorizationScope], policies: [AuthorizationPolicy]) {
        self.settings = settings
        self.resources = resources
        self.scopes = Dictionary(scopes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.policies = Dictionary(policies.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var byResource: [String: [AuthorizationPolicy]] = [:]
        var byType: [String: [AuthorizationPolicy]] = [:]
        var byScope: [String: [(permission: AuthorizationPolicy, resources: Set<String>)]] = [:]
        for permission in policies {
            switch permission.type {
            case .resource:
                for id in Set(permission.resourceIds) { byResource[id, default: []].append(permission) }
                if permission.resourceIds.isEmpty, let type = permission.conditions.resourceType, !type.isEmpty { byType[type, default: []].append(permission) }
            case .scope:
                let limited = Set(permission.resourceIds)
                for id in Set(permission.scopeIds) { byScope[id, default: []].append((permission, limited)) }
            default: continue
            }
        }
        (self.byResource, self.byType, self.byScope) = (byResource, byType, byScope)
    }

    /// What of `requests` the identity is granted (nothing asked: every resource), at `epoch` seconds.
    public func evaluate(_ requests: [PermissionRequest], for identity: AuthorizationIdentity, at epoch: Int) throws(TooLarge) -> [GrantedPermission] {
        var work = Work(memo: [:], budget: Self.workLimit)
        var granted: [GrantedPermission] = []
        for (resource, asked) in targets(requests) {
            if asked.isEmpty {
                if try decide(resource, scopeId: nil, identity, epoch, &work) { granted.append(GrantedPermission(resource: resource, scopes: [])) }
                continue
            }
            var scopeIds: [String] = []
            for scopeId in asked where try decide(resource, scopeId: scopeId, identity, epoch, &work) { scopeIds.append(scopeId) }
            if !scopeIds.isEmpty { granted.append(GrantedPermission(resource: resource, scopes: scopeIds.compactMap { scopes[$0] })) }
        }
        return granted
    }

    /// Outcomes already worked out, and how much more may be examined.
    struct Work {
        var memo: [String: Bool]
        var budget: Int

        mutating func spend(_ amount: Int) throws(TooLarge) {
            budget -= amount
            if budget < 0 { throw TooLarge() }
        }
    }

    /// Each resource asked about, with the scopes asked (all it offers when none were named), in the order asked.
    private func targets(_ requests: [PermissionRequest]) -> [(ProtectedResource, [String])] {
        let byId = Dictionary(resources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard !requests.isEmpty else { return resources.map { ($0, $0.scopeIds) } }
        var order: [String] = []
        var asked: [String: [String]] = [:]
        func add(_ resource: ProtectedResource, _ scopeIds: [String]) {
            if asked[resource.id] == nil { order.append(resource.id) }
            let offered = Set(resource.scopeIds)
            let wanted = scopeIds.isEmpty ? resource.scopeIds : scopeIds.filter(offered.contains)
            let already = Set(asked[resource.id] ?? [])
            asked[resource.id, default: []].append(contentsOf: wanted.filter { !already.contains($0) })
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
    private func decide(_ resource: ProtectedResource, scopeId: String?, _ identity: AuthorizationIdentity, _ epoch: Int, _ work: inout Work) throws(TooLarge)
        -> Bool
    {
        if settings.enforcementMode == .disabled { return true }
        var applying = byResource[resource.id] ?? []
        if !resource.type.isEmpty { applying += byType[resource.type] ?? [] }
        if let scopeId {
            let candidates = byScope[scopeId] ?? []
            try work.spend(candidates.count + 1)
            for (permission, limited) in candidates where limited.isEmpty ? Self.typeMatches(permission, resource) : limited.contains(resource.id) {
                applying.append(permission)
            }
        }
        try work.spend(applying.count + 1)
        guard !applying.isEmpty else { return settings.enforcementMode == .permissive }
        var grants = 0
        for permission in applying where outcome(of: permission, identity, epoch, &work.memo, depth: 0) { grants += 1 }
        return settings.decisionStrategy.decide(grants: grants, denies: applying.count - grants)
    }

    /// A scope permission naming no resources applies to every resource offering the scope, or to those of its type.
    private static func typeMatches(_ permission: AuthorizationPolicy, _ resource: ProtectedResource) -> Bool {
        permission.conditions.resourceType.map { $0.isEmpty || $0 == resource.type } ?? true
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
            // Nothing to decide by (never given, or every member deleted): denied, whatever the logic — `NEGATIVE`
            // over nothing must not open a resource to everyone.
            guard !members.isEmpty else {
                memo[policy.id] = false
                return false
            }
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
