import Domain
import SQLKit
import Storage

/// The admin side of a client's authorization services (`…/clients/{id}/authz/resource-server…`): its settings,
/// resources and authorization scopes (policies and import in extensions). Reading needs `view-authorization` or
/// `view-clients`, changing `manage-authorization` or `manage-clients`; `realm-management`'s own resource server,
/// whose permissions decide who administers what, only `realm-admin`.
public struct ResourceServers: Sendable {
    let changes: ChangeLog

    public init(changes: ChangeLog) { self.changes = changes }

    /// Everything of the resource server, as its settings document shows it.
    public struct Contents: Sendable {
        public var client: Client
        public var settings: ResourceServerSettings
        public var resources: [ProtectedResource]
        public var scopes: [AuthorizationScope]
        public var policies: [AuthorizationPolicy]
    }

    public func contents(_ actor: Principal, realm: String, client id: String) async throws -> Contents {
        try Self.authorize(actor, realm: realm, change: false)
        return try await changes.read { sql in try await Self.contents(of: try await Self.requireServer(id, realm: realm, on: sql), on: sql) }
    }

    public func updateSettings(_ actor: Principal, realm: String, client id: String, _ settings: ResourceServerSettings) async throws {
        try Self.authorize(actor, realm: realm, change: true)
        try await changes.commit { sql in
            let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
            try await server.store.setSettings(settings)
        }
    }

    // MARK: Resources

    public func resources(_ actor: Principal, realm: String, client id: String) async throws -> (Client, [ProtectedResource], [AuthorizationScope]) {
        let contents = try await contents(actor, realm: realm, client: id)
        return (contents.client, contents.resources, contents.scopes)
    }

    /// Creates a resource; a name the server has already is a conflict.
    public func createResource(_ actor: Principal, realm: String, client id: String, _ input: ResourceInput) async throws -> ProtectedResource {
        try Self.authorize(actor, realm: realm, change: true)
        do {
            return try await changes.commit { sql in
                let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
                guard try await server.store.count("authz_resources") < AuthorizationLimits.resources else {
                    throw AdministrationError.refused("At most \(AuthorizationLimits.resources) resources on one resource server")
                }
                let resource = try Self.resource(from: input, id: Identifiers.uuid(), scopes: try await server.store.scopes())
                try await server.store.insert(resource)
                return resource
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.authzResource, name: input.name)
        }
    }

    public func updateResource(_ actor: Principal, realm: String, client id: String, resource resourceId: String, _ input: ResourceInput) async throws {
        try Self.authorize(actor, realm: realm, change: true)
        do {
            try await changes.commit { sql in
                let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
                guard try await server.store.resourceNames().contains(where: { $0.id == resourceId }) else { throw AdministrationError.notFound(.authzResource) }
                try await server.store.update(try Self.resource(from: input, id: resourceId, scopes: try await server.store.scopes()))
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.authzResource, name: input.name)
        }
    }

    public func deleteResource(_ actor: Principal, realm: String, client id: String, resource resourceId: String) async throws {
        try Self.authorize(actor, realm: realm, change: true)
        try await changes.commit { sql in
            let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
            // As Keycloak does, permissions that named only this resource go with it: left naming nothing, a scope
            // permission would apply to every resource offering its scopes, a typed one to every resource of its type.
            for permission in try await server.store.policies() where permission.type.isPermission && permission.resourceIds == [resourceId] {
                _ = try await server.store.deletePolicy(id: permission.id)
            }
            guard try await server.store.deleteResource(id: resourceId) else { throw AdministrationError.notFound(.authzResource) }
        }
    }

    // MARK: Scopes

    /// Creates a scope, or — as Keycloak does — changes the one of that name.
    public func createScope(_ actor: Principal, realm: String, client id: String, _ input: AuthorizationScopeInput) async throws -> AuthorizationScope {
        try Self.authorize(actor, realm: realm, change: true)
        do {
            return try await createScope(actor, realm: realm, client: id, input, on: changes)
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.authzScope, name: input.name)
        }
    }

    private func createScope(_ actor: Principal, realm: String, client id: String, _ input: AuthorizationScopeInput, on changes: ChangeLog) async throws
        -> AuthorizationScope
    {
        try await changes.commit { sql in
            let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
            let existing = try await server.store.scopes()
            let scope = try Self.scope(from: input, id: existing.first { $0.name == input.name }?.id ?? Identifiers.uuid())
            if existing.contains(where: { $0.id == scope.id }) {
                try await server.store.update(scope)
            } else {
                guard existing.count < AuthorizationLimits.scopes else {
                    throw AdministrationError.refused("At most \(AuthorizationLimits.scopes) scopes on one resource server")
                }
                try await server.store.insert(scope)
            }
            return scope
        }
    }

    public func updateScope(_ actor: Principal, realm: String, client id: String, scope scopeId: String, _ input: AuthorizationScopeInput) async throws {
        try Self.authorize(actor, realm: realm, change: true)
        do {
            try await changes.commit { sql in
                let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
                guard try await server.store.scopes().contains(where: { $0.id == scopeId }) else { throw AdministrationError.notFound(.authzScope) }
                try await server.store.update(try Self.scope(from: input, id: scopeId))
            }
        } catch StorageError.duplicate {
            throw AdministrationError.exists(.authzScope, name: input.name)
        }
    }

    public func deleteScope(_ actor: Principal, realm: String, client id: String, scope scopeId: String) async throws {
        try Self.authorize(actor, realm: realm, change: true)
        try await changes.commit { sql in
            let server = try await Self.requireServer(id, realm: realm, on: sql, changedBy: actor)
            for permission in try await server.store.policies() where permission.type == .scope && permission.scopeIds == [scopeId] {
                _ = try await server.store.deletePolicy(id: permission.id)
            }
            guard try await server.store.deleteScope(id: scopeId) else { throw AdministrationError.notFound(.authzScope) }
        }
    }

    // MARK: Shared

    /// A client with authorization services on, and its store.
    struct Server {
        var client: Client
        var store: AuthorizationStore
        var settings: ResourceServerSettings
    }

    /// The client (404 `Could not find client`) and its resource server (404 when the services are off). A change to
    /// `realm-management`'s needs `realm-admin`: its permissions decide who administers what.
    /// A change locks the client's row first: changes to one resource server run one after another on PostgreSQL too,
    /// so the checks they make (no loops, the limits) hold against each other.
    static func requireServer(_ id: String, realm: String, on sql: any SQLDatabase, changedBy actor: Principal? = nil) async throws -> Server {
        let clients = ClientStore(sql)
        let found = actor == nil ? try await clients.find(realm: realm, id: id) : try await clients.lock(realm: realm, id: id)
        guard let client = found?.client else { throw AdministrationError.notFound(.client) }
        if let actor, client.clientId == KeycloakRealmLayout.realmManagement { try Administration.authorize(actor, realm: realm, .realmAdmin) }
        let store = AuthorizationStore(sql, clientId: client.id)
        guard let settings = try await store.settings() else { throw AdministrationError.notFound(.resourceServer) }
        return Server(client: client, store: store, settings: settings)
    }

    static func contents(of server: Server, on sql: any SQLDatabase) async throws -> Contents {
        Contents(
            client: server.client, settings: server.settings, resources: try await server.store.resources(), scopes: try await server.store.scopes(),
            policies: try await server.store.policies())
    }

    static func authorize(_ actor: Principal, realm: String, change: Bool) throws {
        let rights: [AdminRight] = change ? [.manageAuthorization, .manageClients] : [.viewAuthorization, .viewClients]
        guard rights.contains(where: { (try? Administration.authorize(actor, realm: realm, $0)) != nil }) else { throw AdministrationError.forbidden }
    }

    static func resource(from input: ResourceInput, id: String, scopes: [AuthorizationScope]) throws -> ProtectedResource {
        try checkLabel(input.name, "name")
        let texts = [input.displayName, input.type, input.iconURI] + input.uris + input.attributes.keys + input.attributes.values.flatMap { $0 }
        guard texts.allSatisfy({ $0.utf8.count <= AuthorizationLimits.text }),
            input.uris.count <= AuthorizationLimits.listItems, input.attributes.count <= AuthorizationLimits.listItems,
            input.attributes.values.allSatisfy({ $0.count <= AuthorizationLimits.listItems }), input.scopes.count <= AuthorizationLimits.listItems
        else { throw AdministrationError.refused("A resource holds at most \(AuthorizationLimits.listItems) of each list, each under \(AuthorizationLimits.text) bytes") }
        let scopeIds = try input.scopes.map { reference in
            guard let scope = scopes.first(where: { $0.id == reference }) ?? scopes.first(where: { $0.name == reference }) else {
                throw AdministrationError.refused("Scope [\(reference)] does not exist")
            }
            return scope.id
        }
        return ProtectedResource(
            id: id, name: input.name, displayName: input.displayName, type: input.type, uris: input.uris, iconURI: input.iconURI,
            ownerManagedAccess: input.ownerManagedAccess, attributes: input.attributes, scopeIds: scopeIds)
    }

    static func scope(from input: AuthorizationScopeInput, id: String) throws -> AuthorizationScope {
        try checkLabel(input.name, "name")
        guard input.displayName.utf8.count <= AuthorizationLimits.text, input.iconURI.utf8.count <= AuthorizationLimits.text else {
            throw AdministrationError.refused("A scope's display name and icon are under \(AuthorizationLimits.text) bytes")
        }
        return AuthorizationScope(id: id, name: input.name, displayName: input.displayName, iconURI: input.iconURI)
    }

    static func checkLabel(_ name: String, _ field: String) throws {
        guard Names.isValidLabel(name) else {
            throw AdministrationError.refused("\(field) must be 1 to 255 bytes without control or invisible characters")
        }
    }
}
