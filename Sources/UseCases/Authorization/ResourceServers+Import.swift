import Domain
import SQLKit
import Storage

/// A resource server's settings document (`…/resource-server/settings`) and its import (`…/resource-server/import`),
/// where everything is named as people write it: roles, users, clients and groups by name, path or `clientId`.
extension ResourceServers {
    /// A policy with what it names written as names.
    public struct NamedPolicy: Sendable {
        public var policy: AuthorizationPolicy
        public var roles: [(name: String, required: Bool)] = []
        public var users: [String] = []
        public var clients: [String] = []
        public var groups: [(path: String, extendChildren: Bool)] = []
        public var resources: [String] = []
        public var scopes: [String] = []
        public var policies: [String] = []
    }

    /// What `import` reads: settings when given, and scopes, resources and policies merged by name.
    public struct Document: Sendable {
        public var settings: ResourceServerSettings?
        public var scopes: [AuthorizationScopeInput]
        public var resources: [ResourceInput]
        public var policies: [PolicyInput]

        public init(settings: ResourceServerSettings?, scopes: [AuthorizationScopeInput], resources: [ResourceInput], policies: [PolicyInput]) {
            (self.settings, self.scopes, self.resources, self.policies) = (settings, scopes, resources, policies)
        }
    }

    public func export(_ actor: Principal, realm: String, client id: String) async throws -> (Contents, [NamedPolicy]) {
        try Self.authorize(actor, realm: realm, change: false)
        return try await changes.read { sql in
            let contents = try await Self.contents(of: try await Self.requireServer(id, realm: realm, on: sql), on: sql)
            return (contents, try await Self.named(contents, on: sql))
        }
    }

    /// Merges `document` into the resource server in one transaction: whatever has a name the server knows is changed,
    /// the rest is created. Policies go in the order they can be resolved (an aggregate after what it combines),
    /// permissions last; one that cannot be resolved refuses the whole import.
    public func importDocument(_ actor: Principal, realm: String, client id: String, _ document: Document) async throws {
        try Self.authorize(actor, realm: realm, change: true)
        let limits = (AuthorizationLimits.scopes, AuthorizationLimits.resources, AuthorizationLimits.policies)
        guard document.scopes.count <= limits.0, document.resources.count <= limits.1, document.policies.count <= limits.2 else {
            throw AdministrationError.refused("An import holds at most \(limits.0) scopes, \(limits.1) resources and \(limits.2) policies")
        }
        do {
            try await changes.commit { sql in
                let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
                if let settings = document.settings { try await server.store.setSettings(settings) }
                // Read once and kept up to date here: an import of hundreds of entries must not re-read the whole
                // resource server per entry while it holds the write lock.
                var scopes = try await server.store.scopes()
                for input in document.scopes {
                    let known = scopes.firstIndex { $0.name == input.name }
                    let scope = try Self.scope(from: input, id: known.map { scopes[$0].id } ?? Identifiers.uuid())
                    if let known {
                        try await server.store.update(scope)
                        scopes[known] = scope
                    } else {
                        try await server.store.insert(scope)
                        scopes.append(scope)
                    }
                }
                var resources = try await server.store.resourceNames()
                for input in document.resources {
                    let known = resources.first { $0.name == input.name }
                    let resource = try Self.resource(from: input, id: known?.id ?? Identifiers.uuid(), scopes: scopes)
                    if known == nil {
                        try await server.store.insert(resource)
                        resources.append((resource.id, resource.name))
                    } else {
                        try await server.store.update(resource)
                    }
                }
                var catalog = try await Catalog(server.store)
                catalog.resources = resources
                var existing = try await server.store.policies()
                // Permissions after policies: they name them.
                func isPermission(_ input: PolicyInput) -> Bool { input.type == "resource" || input.type == "scope" }
                var pending = document.policies.filter { !isPermission($0) } + document.policies.filter(isPermission)
                while !pending.isEmpty {
                    var failures: [any Error] = []
                    var left: [PolicyInput] = []
                    for input in pending {
                        let known = existing.firstIndex { $0.name == input.name }
                        do {
                            let policy = try await Self.policy(
                                from: input, id: known.map { existing[$0].id } ?? Identifiers.uuid(), type: known.map { existing[$0].type }, server: server,
                                catalog: catalog, existing: existing, on: sql)
                            if let known {
                                try await server.store.update(policy)
                                existing[known] = policy
                            } else {
                                try await server.store.insert(policy)
                                existing.append(policy)
                            }
                        } catch let error as AdministrationError {
                            failures.append(error)
                            left.append(input)
                        }
                    }
                    // Nothing resolved in a whole pass: what is left names what is not there.
                    if left.count == pending.count, let first = failures.first { throw first }
                    pending = left
                }
                guard resources.count <= limits.1, scopes.count <= limits.0, existing.count <= limits.2
                else { throw AdministrationError.refused("The import would pass the resource server's limits") }
            }
        } catch StorageError.duplicate {
            throw AdministrationError.refused("The import names one thing twice")
        }
    }

    static func named(_ contents: Contents, on sql: any SQLDatabase) async throws -> [NamedPolicy] {
        let references = PolicyReferences(sql: sql, realm: contents.client.realm)
        let resources = Dictionary(contents.resources.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let scopes = Dictionary(contents.scopes.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let policies = Dictionary(contents.policies.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var named: [NamedPolicy] = []
        for policy in contents.policies {
            var entry = NamedPolicy(policy: policy)
            for role in policy.conditions.roles ?? [] { entry.roles.append((try await references.roleName(role.roleId), role.required)) }
            for user in policy.conditions.users ?? [] { entry.users.append(try await references.username(user)) }
            for client in policy.conditions.clients ?? [] { entry.clients.append(try await references.clientId(client)) }
            for group in policy.conditions.groups ?? [] { entry.groups.append((try await references.groupPath(group.groupId), group.extendChildren)) }
            entry.resources = policy.resourceIds.compactMap { resources[$0] }
            entry.scopes = policy.scopeIds.compactMap { scopes[$0] }
            entry.policies = policy.policyIds.compactMap { policies[$0] }
            named.append(entry)
        }
        return named
    }
}
