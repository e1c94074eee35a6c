import Domain
import SQLKit
import Storage

/// Fine-grained admin permissions on groups (`/groups/{id}/management/permissions`): enabling them gives the group a
/// resource and five scope permissions in `realm-management`'s resource server; whoever those permissions' policies
/// grant may then do that one thing on that one group (or its members) without the realm-wide right. Every rule beyond
/// the right still holds (`PrivilegeGuard`: nobody acts on someone holding more, nor gives roles they lack).
/// Permissions start without policies, so enabling them grants nobody anything until an administrator adds some.
public struct GroupPermissions: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    /// Keycloak's `ManagementPermissionReference`: off, or the group's resource and its permissions by scope.
    public struct Reference: Sendable, Equatable {
        public var enabled: Bool
        public var resourceId: String?
        public var scopePermissions: [String: String]
    }

    public func reference(_ actor: Principal, realm: String, group id: String) async throws -> Reference {
        try await changes.read { sql in
            try await Self.authorize(actor, realm: realm, .queryGroups, group: id, .view, on: sql)
            _ = try await Groups.require(id, realm: realm, on: sql)
            return try await Self.reference(realm: realm, group: id, on: sql)
        }
    }

    /// Turns the group's permissions on or off. This writes `realm-management`'s resource server, so it takes
    /// `realm-admin`; turning them on turns that server's authorization services on if they were off.
    public func set(_ actor: Principal, realm: String, group id: String, enabled: Bool) async throws -> Reference {
        try Administration.authorize(actor, realm: realm, .realmAdmin)
        return try await changes.commit { sql in
            _ = try await Groups.require(id, realm: realm, on: sql)
            // Locked: two simultaneous switches of one group run one after the other, and the second finds it done.
            guard let found = try await ClientStore(sql).find(realm: realm, clientId: KeycloakRealmLayout.realmManagement)?.client,
                let management = try await ClientStore(sql).lock(realm: realm, id: found.id)?.client
            else { throw AdministrationError.notFound(.client) }
            let store = AuthorizationStore(sql, clientId: management.id)
            let current = try await Self.reference(realm: realm, group: id, on: sql)
            if enabled && !current.enabled {
                try await Self.enable(group: id, store: store)
            } else if !enabled && current.enabled {
                try await Self.remove(groups: [id], store: store)
            }
            return try await Self.reference(realm: realm, group: id, on: sql)
        }
    }

    // MARK: Deciding

    /// Whether `actor` holds `right` in `realm`, or the group's `permission` grants them this; otherwise 403.
    static func authorize(
        _ actor: Principal, realm: String, _ right: AdminRight, group id: String, _ permission: GroupPermission, on sql: any SQLDatabase
    ) async throws {
        if (try? Administration.authorize(actor, realm: realm, right)) != nil { return }
        guard try await allows(actor, realm: realm, groups: [id], permission, on: sql) else { throw AdministrationError.forbidden }
    }

    /// Managing includes viewing, as in Keycloak.
    static func satisfying(_ permission: GroupPermission) -> [GroupPermission] {
        switch permission {
        case .view: [.view, .manage]
        case .viewMembers: [.viewMembers, .manageMembers]
        default: [permission]
        }
    }

    /// Whether `actor` holds `right` in `realm`, or `permission` on one of the user's groups grants it (a member's
    /// account: `manage-members`, `view-members`); otherwise 403.
    static func authorize(
        _ actor: Principal, realm: String, _ right: AdminRight, member userId: String, _ permission: GroupPermission, on sql: any SQLDatabase
    ) async throws {
        if (try? Administration.authorize(actor, realm: realm, right)) != nil { return }
        let groups = try await GroupStore(sql).groups(ofUser: userId).filter { $0.realm == realm }.map(\.id)
        guard try await allows(actor, realm: realm, groups: groups, permission, on: sql) else { throw AdministrationError.forbidden }
    }

    /// The decision of `realm-management`'s permissions for one of `groups`, for a person signed in to `realm` (never a
    /// key). Always enforcing: an administrator who set that server permissive or disabled must not open every group.
    static func allows(_ actor: Principal, realm: String, groups: [String], _ permission: GroupPermission, on sql: any SQLDatabase) async throws -> Bool {
        guard !groups.isEmpty, actor.realm == realm, actor.credential == .bearer || actor.credential == .portalSession else { return false }
        guard let management = try await ClientStore(sql).find(realm: realm, clientId: KeycloakRealmLayout.realmManagement)?.client else { return false }
        let store = AuthorizationStore(sql, clientId: management.id)
        guard var settings = try await store.settings() else { return false }
        settings.enforcementMode = .enforcing
        let names = Set(groups.map { GroupPermission.resourceName(group: $0) })
        // Most refusals end here, reading names only: none of these groups has permissions.
        guard try await store.resourceNames().contains(where: { names.contains($0.name) }) else { return false }
        let resources = try await store.resources()
        let asked = resources.filter { names.contains($0.name) }
        let scopes = try await store.scopes()
        let wanted = Set(satisfying(permission).map(\.rawValue))
        let scopeIds = scopes.filter { wanted.contains($0.name) }.map(\.id)
        guard !asked.isEmpty, !scopeIds.isEmpty else { return false }
        let direct = try await GroupStore(sql).groups(ofUser: actor.subject).map(\.id)
        let identity = AuthorizationIdentity(
            userId: actor.subject, clientId: nil, roleIds: Set(try await EffectiveRoles.read(userId: actor.subject, on: sql).all.map(\.id)),
            groupIds: Set(direct), groupLineage: Set(try await GroupStore(sql).withAncestors(direct)))
        let evaluator = PolicyEvaluator(settings: settings, resources: resources, scopes: scopes, policies: try await store.policies())
        // Too much to evaluate is no permission.
        let requests = asked.flatMap { resource in scopeIds.map { PermissionRequest(resourceId: resource.id, scopeIds: [$0]) } }
        let granted = try? evaluator.evaluate(requests, for: identity, at: EpochClock.system.now)
        return !(granted ?? []).isEmpty
    }

    // MARK: Writing

    static func reference(realm: String, group id: String, on sql: any SQLDatabase) async throws -> Reference {
        guard let management = try await ClientStore(sql).find(realm: realm, clientId: KeycloakRealmLayout.realmManagement)?.client else {
            return Reference(enabled: false, resourceId: nil, scopePermissions: [:])
        }
        let store = AuthorizationStore(sql, clientId: management.id)
        guard try await store.settings() != nil,
            let resource = try await store.resources().first(where: { $0.name == GroupPermission.resourceName(group: id) })
        else { return Reference(enabled: false, resourceId: nil, scopePermissions: [:]) }
        let policies = try await store.policies()
        var permissions: [String: String] = [:]
        for permission in GroupPermission.allCases {
            if let found = policies.first(where: { $0.name == permission.permissionName(group: id) }) { permissions[permission.rawValue] = found.id }
        }
        return Reference(enabled: true, resourceId: resource.id, scopePermissions: permissions)
    }

    private static func enable(group id: String, store: AuthorizationStore) async throws {
        guard try await store.count("authz_resources") < AuthorizationLimits.resources,
            try await store.count("authz_policies") + GroupPermission.allCases.count <= AuthorizationLimits.policies
        else {
            throw AdministrationError.refused(
                "realm-management's resource server holds at most \(AuthorizationLimits.policies) policies and permissions; each group's permissions take five")
        }
        if try await store.settings() == nil { try await store.setSettings(ResourceServerSettings()) }
        var scopes = try await store.scopes()
        for permission in GroupPermission.allCases where !scopes.contains(where: { $0.name == permission.rawValue }) {
            try await store.insert(AuthorizationScope(id: Identifiers.uuid(), name: permission.rawValue))
        }
        scopes = try await store.scopes()
        let resource = ProtectedResource(
            id: Identifiers.uuid(), name: GroupPermission.resourceName(group: id), type: GroupPermission.resourceType,
            scopeIds: GroupPermission.allCases.compactMap { permission in scopes.first { $0.name == permission.rawValue }?.id })
        try await store.insert(resource)
        for permission in GroupPermission.allCases {
            guard let scope = scopes.first(where: { $0.name == permission.rawValue }) else { continue }
            try await store.insert(
                AuthorizationPolicy(
                    id: Identifiers.uuid(), name: permission.permissionName(group: id), type: .scope, resourceIds: [resource.id], scopeIds: [scope.id]))
        }
    }

    /// Takes the groups' resources and permissions out of `realm-management`'s resource server (turned off, or the
    /// groups deleted).
    static func remove(groups ids: [String], store: AuthorizationStore) async throws {
        let resourceNames = Set(ids.map { GroupPermission.resourceName(group: $0) })
        let permissionNames = Set(ids.flatMap { id in GroupPermission.allCases.map { $0.permissionName(group: id) } })
        let removed = Set(try await store.resourceNames().filter { resourceNames.contains($0.name) }.map(\.id))
        // Ours, and any an administrator made on these resources alone: left naming nothing, a scope permission would
        // apply to every group.
        for policy in try await store.policies()
        where permissionNames.contains(policy.name) || (policy.type.isPermission && !policy.resourceIds.isEmpty && removed.isSuperset(of: policy.resourceIds)) {
            _ = try await store.deletePolicy(id: policy.id)
        }
        for id in removed { _ = try await store.deleteResource(id: id) }
    }

    /// After groups were deleted: their permissions go too (group ids are never reused, but nothing should linger).
    static func forgetDeleted(realm: String, on sql: any SQLDatabase) async throws {
        guard let management = try await ClientStore(sql).find(realm: realm, clientId: KeycloakRealmLayout.realmManagement)?.client else { return }
        let store = AuthorizationStore(sql, clientId: management.id)
        guard try await store.settings() != nil else { return }
        let prefix = GroupPermission.resourceName(group: "")
        let named = try await store.resources().filter { $0.name.hasPrefix(prefix) }.map { String($0.name.dropFirst(prefix.count)) }
        var gone: [String] = []
        for id in named where try await GroupStore(sql).find(realm: realm, id: id) == nil { gone.append(id) }
        if !gone.isEmpty { try await remove(groups: gone, store: store) }
    }
}
