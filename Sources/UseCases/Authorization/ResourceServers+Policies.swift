import Domain
import SQLKit
import Storage

/// Policies and permissions of a resource server.
extension ResourceServers {
    /// Creates a policy or permission of `type` (from the path, `…/policy/role`; nil: the body's `type`). A name the
    /// server has already — policies and permissions share names — is a conflict.
    public func createPolicy(_ actor: Principal, realm: String, client id: String, type: PolicyType?, _ input: PolicyInput) async throws
        -> AuthorizationPolicy
    {
        try Self.authorize(actor, realm: realm, change: true)
        do {
            return try await changes.commit { sql in
                let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
                let existing = try await server.store.policies()
                guard existing.count < AuthorizationLimits.policies else {
                    throw AdministrationError.refused("At most \(AuthorizationLimits.policies) policies and permissions on one resource server")
                }
                let catalog = try await Catalog(server.store)
                let policy = try await Self.policy(
                    from: input, id: Identifiers.uuid(), type: type, server: server, catalog: catalog, existing: existing, on: sql)
                try await server.store.insert(policy)
                return policy
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.authzPolicy, name: input.name)
        }
    }

    /// Replaces a policy's settings; its type stays.
    public func updatePolicy(_ actor: Principal, realm: String, client id: String, policy policyId: String, _ input: PolicyInput) async throws {
        try Self.authorize(actor, realm: realm, change: true)
        do {
            try await changes.commit { sql in
                let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
                let existing = try await server.store.policies()
                guard let current = existing.first(where: { $0.id == policyId }) else { throw AdministrationError.notFound(.authzPolicy) }
                let catalog = try await Catalog(server.store)
                try await server.store.update(
                    try await Self.policy(from: input, id: policyId, type: current.type, server: server, catalog: catalog, existing: existing, on: sql))
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.authzPolicy, name: input.name)
        }
    }

    public func deletePolicy(_ actor: Principal, realm: String, client id: String, policy policyId: String) async throws {
        try Self.authorize(actor, realm: realm, change: true)
        try await changes.commit { sql in
            let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
            guard try await server.store.deletePolicy(id: policyId) else { throw AdministrationError.notFound(.authzPolicy) }
        }
    }

    /// The policy `input` describes, its references resolved within the realm and the resource server.
    static func policy(
        from input: PolicyInput, id: String, type fixed: PolicyType?, server: Server, catalog: Catalog, existing: [AuthorizationPolicy],
        on sql: any SQLDatabase
    ) async throws -> AuthorizationPolicy {
        try checkLabel(input.name, "name")
        guard let type = fixed ?? input.type.flatMap(PolicyType.init(rawValue:)) else {
            let supported = PolicyType.allCases.map(\.rawValue).joined(separator: ", ")
            throw AdministrationError.refused("Policy type [\(input.type ?? "")] is not supported; supported: \(supported)")
        }
        guard input.description.utf8.count <= AuthorizationLimits.text else { throw AdministrationError.refused("description is too long") }
        let lists = [input.users, input.clients, input.resources, input.scopes, input.policies].compactMap { $0?.count } + [input.roles?.count ?? 0, input.groups?.count ?? 0]
        guard lists.allSatisfy({ $0 <= AuthorizationLimits.listItems }) else {
            throw AdministrationError.refused("A policy names at most \(AuthorizationLimits.listItems) of each kind")
        }
        guard let logic = PolicyLogic(rawValue: input.logic ?? "POSITIVE") else { throw AdministrationError.refused("logic is POSITIVE or NEGATIVE") }
        guard let strategy = DecisionStrategy(rawValue: input.decisionStrategy ?? "UNANIMOUS") else {
            throw AdministrationError.refused("decisionStrategy is UNANIMOUS, AFFIRMATIVE or CONSENSUS")
        }
        let references = PolicyReferences(sql: sql, realm: server.client.realm)
        var policy = AuthorizationPolicy(id: id, name: input.name, description: input.description, type: type, logic: logic, decisionStrategy: strategy)
        switch type {
        case .role:
            var roles: [RoleCondition] = []
            for (reference, required) in input.roles ?? [] { roles.append(RoleCondition(roleId: try await references.role(reference), required: required)) }
            guard !roles.isEmpty else { throw AdministrationError.refused("You must provide at least one role") }
            policy.conditions.roles = roles
        case .user:
            var users: [String] = []
            for reference in input.users ?? [] { users.append(try await references.user(reference)) }
            guard !users.isEmpty else { throw AdministrationError.refused("You must provide at least one user") }
            policy.conditions.users = users
        case .client:
            var clients: [String] = []
            for reference in input.clients ?? [] { clients.append(try await references.client(reference)) }
            guard !clients.isEmpty else { throw AdministrationError.refused("You must provide at least one client") }
            policy.conditions.clients = clients
        case .group:
            var groups: [GroupCondition] = []
            for (reference, extend) in input.groups ?? [] { groups.append(GroupCondition(groupId: try await references.group(reference), extendChildren: extend)) }
            guard !groups.isEmpty else { throw AdministrationError.refused("You must provide at least one group") }
            policy.conditions.groups = groups
        case .time:
            do { policy.conditions.time = try TimeWindow(fields: input.time ?? [:]) } catch { throw AdministrationError.refused(error.message) }
        case .aggregate:
            policy.policyIds = try associated(input.policies ?? [], of: id, existing: existing)
            guard !policy.policyIds.isEmpty else { throw AdministrationError.refused("An aggregate policy needs at least one policy") }
        case .resource, .scope:
            policy.policyIds = try associated(input.policies ?? [], of: id, existing: existing)
            let resources = catalog.resources
            policy.resourceIds = try (input.resources ?? []).map { reference in
                guard let found = resources.first(where: { $0.id == reference }) ?? resources.first(where: { $0.name == reference }) else {
                    throw AdministrationError.refused("Resource with id [\(reference)] does not exist")
                }
                return found.id
            }
            let scopes = catalog.scopes
            policy.scopeIds = try (input.scopes ?? []).map { reference in
                guard let found = scopes.first(where: { $0.id == reference }) ?? scopes.first(where: { $0.name == reference }) else {
                    throw AdministrationError.refused("Scope with id [\(reference)] does not exist")
                }
                return found.id
            }
            if let resourceType = input.resourceType, !resourceType.isEmpty {
                guard resourceType.utf8.count <= AuthorizationLimits.text else { throw AdministrationError.refused("resourceType is too long") }
                policy.conditions.resourceType = resourceType
            }
            if type == .scope, policy.scopeIds.isEmpty { throw AdministrationError.refused("A scope permission needs at least one scope") }
        }
        return policy
    }

    /// The policies an aggregate or permission combines: existing policies (not permissions) of the server, and none
    /// that leads back to the one being written (a loop would never decide).
    static func associated(_ references: [String], of id: String, existing: [AuthorizationPolicy]) throws -> [String] {
        let byId = Dictionary(existing.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ids = try references.map { reference in
            guard let found = byId[reference] ?? existing.first(where: { $0.name == reference }), !found.type.isPermission else {
                throw AdministrationError.refused("Policy [\(reference)] does not exist")
            }
            return found.id
        }
        var frontier = ids
        var seen = Set<String>()
        while let next = frontier.popLast() {
            guard next != id else { throw AdministrationError.refused("A policy cannot contain itself") }
            guard seen.insert(next).inserted else { continue }
            frontier.append(contentsOf: byId[next]?.policyIds ?? [])
        }
        // No chain deeper than the evaluator follows, counted over every policy with this one changed: a change deep
        // in a chain lengthens every chain above it.
        var members = byId.mapValues(\.policyIds)
        members[id] = ids
        var depths: [String: Int] = [:]
        func depth(_ node: String) -> Int {
            if let known = depths[node] { return known }
            depths[node] = 0
            let found = 1 + ((members[node] ?? []).map(depth).max() ?? 0)
            depths[node] = found
            return found
        }
        guard members.keys.allSatisfy({ depth($0) <= maximumDepth }) else {
            throw AdministrationError.refused("Policies nest at most \(maximumDepth) deep")
        }
        return ids
    }

    /// How deep aggregates may nest; the evaluator stops at 16.
    static let maximumDepth = 10

    /// What a policy's resources and scopes are resolved against: names and ids, without every link.
    struct Catalog {
        var resources: [(id: String, name: String)]
        var scopes: [AuthorizationScope]

        init(_ store: AuthorizationStore) async throws {
            resources = try await store.resourceNames()
            scopes = try await store.scopes()
        }
    }
}
