import Domain
import HTTPKit
import Hummingbird
import UseCases

/// `…/clients/{id}/authz/resource-server…`: a client's authorization services as Keycloak's admin REST serves them —
/// settings, the settings document and its import, resources, authorization scopes, policies (`…/policy/{type}`) and
/// permissions (`…/permission/{resource|scope}`). Path segments at one depth share one parameter name (the router
/// keeps one per depth): `:policy` is a type on create and an id elsewhere.
struct AdminAuthorizationController: Sendable {
    let servers: ResourceServers
    let baseURL: String

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get("", use: show)
        group.put("", use: update)
        group.get("settings", use: export)
        group.post("import", use: importDocument)
        group.get("resource", use: listResources)
        group.post("resource", use: createResource)
        group.get("resource/:resource", use: showResource)
        group.put("resource/:resource", use: updateResource)
        group.delete("resource/:resource", use: deleteResource)
        group.get("resource/:resource/scopes", use: resourceScopes)
        group.get("scope", use: listScopes)
        group.post("scope", use: createScope)
        group.get("scope/:scope", use: showScope)
        group.put("scope/:scope", use: updateScope)
        group.delete("scope/:scope", use: deleteScope)
        AdminAuthorizationPoliciesController(servers: servers).addRoutes(to: group)
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        let contents = try await servers.contents(context.principal, realm: try context.realm, client: try context.parameters.require("id"))
        return JSONBody.response(ResourceServerRepresentation(client: contents.client, settings: contents.settings))
    }

    @Sendable func update(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: ResourceServerRepresentation.self, context: context)
        let (realm, id) = (try context.realm, try context.parameters.require("id"))
        let current = try await servers.contents(context.principal, realm: realm, client: id).settings
        try await servers.updateSettings(context.principal, realm: realm, client: id, try body.settings(over: current))
        return Response(status: .noContent)
    }

    @Sendable func export(_ request: Request, context: AdminContext) async throws -> Response {
        let (contents, named) = try await servers.export(context.principal, realm: try context.realm, client: try context.parameters.require("id"))
        return JSONBody.response(ResourceServerRepresentation(export: contents, named: named))
    }

    @Sendable func importDocument(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: ResourceServerRepresentation.self, context: context)
        try await servers.importDocument(context.principal, realm: try context.realm, client: try context.parameters.require("id"), try body.document)
        return Response(status: .noContent)
    }

    // MARK: Resources

    /// Keycloak's filters: `name` (exact with `exactName=true`, else contained, any case), `type`, `uri`, paged by
    /// `first`/`max` (`max=-1`: all).
    @Sendable func listResources(_ request: Request, context: AdminContext) async throws -> Response {
        let (client, resources, scopes) = try await servers.resources(context.principal, realm: try context.realm, client: try context.parameters.require("id"))
        let query = request.uri.queryParameters
        var found = resources
        if let name = query["name"].map(String.init), !name.isEmpty {
            found = found.filter { query["exactName"] == "true" ? $0.name == name : $0.name.lowercased().contains(name.lowercased()) }
        }
        if let type = query["type"].map(String.init), !type.isEmpty { found = found.filter { $0.type == type } }
        if let uri = query["uri"].map(String.init), !uri.isEmpty { found = found.filter { $0.uris.contains(uri) } }
        return JSONBody.response(Self.page(found, request).map { AuthzResourceRepresentation($0, client: client, scopes: scopes) })
    }

    @Sendable func createResource(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: AuthzResourceRepresentation.self, context: context)
        let (realm, id) = (try context.realm, try context.parameters.require("id"))
        let made = try await servers.createResource(context.principal, realm: realm, client: id, body.input)
        let (client, _, scopes) = try await servers.resources(context.principal, realm: realm, client: id)
        return JSONBody.response(status: .created, AuthzResourceRepresentation(made, client: client, scopes: scopes))
    }

    @Sendable func showResource(_ request: Request, context: AdminContext) async throws -> Response {
        let (client, resource, scopes) = try await resource(context)
        return JSONBody.response(AuthzResourceRepresentation(resource, client: client, scopes: scopes))
    }

    @Sendable func resourceScopes(_ request: Request, context: AdminContext) async throws -> Response {
        let (_, resource, scopes) = try await resource(context)
        return JSONBody.response(scopes.filter { resource.scopeIds.contains($0.id) }.map(AuthzScopeRepresentation.init))
    }

    @Sendable func updateResource(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: AuthzResourceRepresentation.self, context: context)
        try await servers.updateResource(
            context.principal, realm: try context.realm, client: try context.parameters.require("id"), resource: try context.parameters.require("resource"),
            body.input)
        return Response(status: .noContent)
    }

    @Sendable func deleteResource(_ request: Request, context: AdminContext) async throws -> Response {
        try await servers.deleteResource(
            context.principal, realm: try context.realm, client: try context.parameters.require("id"), resource: try context.parameters.require("resource"))
        return Response(status: .noContent)
    }

    private func resource(_ context: AdminContext) async throws -> (Client, ProtectedResource, [AuthorizationScope]) {
        let (client, resources, scopes) = try await servers.resources(context.principal, realm: try context.realm, client: try context.parameters.require("id"))
        let wanted = try context.parameters.require("resource")
        guard let resource = resources.first(where: { $0.id == wanted }) else { throw AdministrationError.notFound(.authzResource) }
        return (client, resource, scopes)
    }

    // MARK: Scopes

    @Sendable func listScopes(_ request: Request, context: AdminContext) async throws -> Response {
        let (_, _, scopes) = try await servers.resources(context.principal, realm: try context.realm, client: try context.parameters.require("id"))
        let query = request.uri.queryParameters
        var found = scopes
        if let name = query["name"].map(String.init), !name.isEmpty { found = found.filter { $0.name.lowercased().contains(name.lowercased()) } }
        return JSONBody.response(Self.page(found, request).map(AuthzScopeRepresentation.init))
    }

    @Sendable func createScope(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: AuthzScopeRepresentation.self, context: context)
        let made = try await servers.createScope(context.principal, realm: try context.realm, client: try context.parameters.require("id"), body.input)
        return JSONBody.response(status: .created, AuthzScopeRepresentation(made))
    }

    @Sendable func showScope(_ request: Request, context: AdminContext) async throws -> Response {
        let (_, _, scopes) = try await servers.resources(context.principal, realm: try context.realm, client: try context.parameters.require("id"))
        let wanted = try context.parameters.require("scope")
        guard let scope = scopes.first(where: { $0.id == wanted }) else { throw AdministrationError.notFound(.authzScope) }
        return JSONBody.response(AuthzScopeRepresentation(scope))
    }

    @Sendable func updateScope(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: AuthzScopeRepresentation.self, context: context)
        try await servers.updateScope(
            context.principal, realm: try context.realm, client: try context.parameters.require("id"), scope: try context.parameters.require("scope"), body.input)
        return Response(status: .noContent)
    }

    @Sendable func deleteScope(_ request: Request, context: AdminContext) async throws -> Response {
        try await servers.deleteScope(
            context.principal, realm: try context.realm, client: try context.parameters.require("id"), scope: try context.parameters.require("scope"))
        return Response(status: .noContent)
    }

    /// Keycloak's `first`/`max` paging; `max=-1` (or none) is everything.
    static func page<T>(_ items: [T], _ request: Request) -> [T] {
        let query = request.uri.queryParameters
        let first = Swift.max(0, query["first"].flatMap { Int($0) } ?? 0)
        let limit = query["max"].flatMap { Int($0) } ?? -1
        guard first < items.count else { return [] }
        let rest = items[first...]
        return Array(limit < 0 ? rest : rest.prefix(limit))
    }
}
