import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/admin/realms/{realm}/roles…` and `/admin/realms/{realm}/clients/{id}/roles…`: realm roles and client roles, with
/// their members and composites. One controller for both, as Keycloak serves the same resource at both places.
struct AdminRolesController: Sendable {
    let roles: Roles
    let clients: Clients
    let create: CreateRole
    let update: UpdateRole
    let delete: DeleteRole
    let changeComposites: ChangeComposites
    let roleMappings: RoleMappings
    let baseURL: String
    /// Whether the routes sit under a client (`:id`).
    let ofClient: Bool

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.post("", use: createRole)
        group.get("", use: list)
        group.get(":name", use: show)
        group.put(":name", use: updateRole)
        group.delete(":name", use: deleteRole)
        group.get(":name/users", use: members)
        group.get(":name/groups", use: groups)
        group.get(":name/composites", use: composites)
        group.get(":name/composites/realm", use: realmComposites)
        group.get(":name/composites/clients/:client", use: clientComposites)
        group.post(":name/composites", use: addComposites)
        group.delete(":name/composites", use: removeComposites)
    }

    /// The realm, and the client's internal id when the roles are a client's (404 when there is no such client).
    private func owner(_ context: AdminContext) async throws -> (realm: String, client: String?) {
        let realm = try context.parameters.require("realm")
        guard ofClient else { return (realm, nil) }
        return (realm, try await clients.find(context.principal, realm: realm, id: try context.parameters.require("id")).id)
    }

    @Sendable func createRole(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: RoleRepresentation.self, context: context)
        guard let name = try? Identifier(body.name, field: "name") else { throw AdminError.badRequest("Invalid role name") }
        let (realm, client) = try await owner(context)
        let role = try await create(
            context.principal, realm: realm, name: name, description: body.description ?? "", attributes: try body.attributes.map { try UserAttributes($0) },
            clientInternalId: client)
        return createdResponse(request, baseURL: baseURL, id: role.name)
    }

    /// `search` (part of the name), `first`, `max`; `briefRepresentation` defaults to true, as in Keycloak.
    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let (realm, client) = try await owner(context)
        let found = try await roles.all(context.principal, realm: realm, clientInternalId: client, search: query.string("search"), window: try query.window())
        let brief = query.brief(default: true)
        return JSONBody.response(found.map { RoleRepresentation($0, brief: brief) })
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        let (realm, client) = try await owner(context)
        return JSONBody.response(
            RoleRepresentation(try await roles.find(context.principal, realm: realm, clientInternalId: client, name: try context.parameters.require("name"))))
    }

    /// Name, description and attributes, each when sent (Keycloak renames a role this way).
    @Sendable func updateRole(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: RoleRepresentation.self, context: context)
        let (realm, client) = try await owner(context)
        try await update(context.principal, realm: realm, name: try context.parameters.require("name"), clientInternalId: client, try body.change())
        return Response(status: .noContent)
    }

    @Sendable func deleteRole(_ request: Request, context: AdminContext) async throws -> Response {
        let (realm, client) = try await owner(context)
        try await delete(context.principal, realm: realm, name: try context.parameters.require("name"), clientInternalId: client)
        return Response(status: .noContent)
    }

    /// The users holding the role directly, 100 at a time unless `max` says otherwise.
    @Sendable func members(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let (realm, client) = try await owner(context)
        let found = try await roles.members(
            context.principal, realm: realm, clientInternalId: client, name: try context.parameters.require("name"), window: try query.window(defaultMax: 100))
        let brief = query.brief(default: false)
        return JSONBody.response(found.map { UserRepresentation($0, brief: brief) })
    }

    /// The groups the role is mapped to directly, by name.
    @Sendable func groups(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let (realm, client) = try await owner(context)
        let found = try await roleMappings.groups(
            context.principal, realm: realm, clientInternalId: client, roleName: try context.parameters.require("name"), window: try query.window(defaultMax: 100))
        let brief = query.brief(default: true)
        return JSONBody.response(found.map { GroupRepresentation($0, brief: brief) })
    }

    @Sendable func composites(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(try await parts(context).map { RoleRepresentation($0) })
    }

    @Sendable func realmComposites(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(try await parts(context).filter { $0.clientId == nil }.map { RoleRepresentation($0) })
    }

    @Sendable func clientComposites(_ request: Request, context: AdminContext) async throws -> Response {
        let client = try context.parameters.require("client")
        return JSONBody.response(try await parts(context).filter { $0.clientId == client }.map { RoleRepresentation($0) })
    }

    private func parts(_ context: AdminContext) async throws -> [Role] {
        let (realm, client) = try await owner(context)
        let role = try await roles.find(context.principal, realm: realm, clientInternalId: client, name: try context.parameters.require("name"))
        return try await roles.composites(context.principal, realm: realm, roleId: role.id)
    }

    @Sendable func addComposites(_ request: Request, context: AdminContext) async throws -> Response {
        try await changeParts(request, context, add: true)
    }

    @Sendable func removeComposites(_ request: Request, context: AdminContext) async throws -> Response {
        try await changeParts(request, context, add: false)
    }

    private func changeParts(_ request: Request, _ context: AdminContext, add: Bool) async throws -> Response {
        let body = try await request.decode(as: [RoleRepresentation].self, context: context)
        let (realm, client) = try await owner(context)
        try await changeComposites(
            context.principal, realm: realm, parent: try context.parameters.require("name"), clientInternalId: client,
            parts: body.map { ChangeRoleMappings.RoleReference(name: $0.name ?? "", id: $0.id) }, add: add)
        return Response(status: .noContent)
    }
}

/// `/admin/realms/{realm}/roles-by-id/{id}`: a role of the realm or of one of its clients, by id — read, changed,
/// deleted, and its composites (a realm's default roles are changed here, on `default-roles-{realm}`).
struct AdminRolesByIdController: Sendable {
    let roles: Roles
    let update: UpdateRole
    let delete: DeleteRole
    let changeComposites: ChangeComposites

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get(":id", use: show)
        group.put(":id", use: updateRole)
        group.delete(":id", use: deleteRole)
        group.get(":id/composites", use: composites)
        group.get(":id/composites/realm", use: realmComposites)
        group.get(":id/composites/clients/:client", use: clientComposites)
        group.post(":id/composites", use: addComposites)
        group.delete(":id/composites", use: removeComposites)
    }

    private func role(_ context: AdminContext) async throws -> Role {
        try await roles.find(context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("id"))
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(RoleRepresentation(try await role(context)))
    }

    @Sendable func updateRole(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: RoleRepresentation.self, context: context)
        try await update(context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("id"), try body.change())
        return Response(status: .noContent)
    }

    @Sendable func deleteRole(_ request: Request, context: AdminContext) async throws -> Response {
        let found = try await role(context)
        try await delete(context.principal, realm: found.realm, name: found.name, clientInternalId: found.clientId)
        return Response(status: .noContent)
    }

    @Sendable func composites(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        return JSONBody.response(try query.window().slice(try await parts(context)).map { RoleRepresentation($0) })
    }

    @Sendable func realmComposites(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(try await parts(context).filter { $0.clientId == nil }.map { RoleRepresentation($0) })
    }

    @Sendable func clientComposites(_ request: Request, context: AdminContext) async throws -> Response {
        let client = try context.parameters.require("client")
        return JSONBody.response(try await parts(context).filter { $0.clientId == client }.map { RoleRepresentation($0) })
    }

    private func parts(_ context: AdminContext) async throws -> [Role] {
        try await roles.composites(context.principal, realm: try context.parameters.require("realm"), roleId: try context.parameters.require("id"))
    }

    @Sendable func addComposites(_ request: Request, context: AdminContext) async throws -> Response {
        try await changeParts(request, context, add: true)
    }

    @Sendable func removeComposites(_ request: Request, context: AdminContext) async throws -> Response {
        try await changeParts(request, context, add: false)
    }

    private func changeParts(_ request: Request, _ context: AdminContext, add: Bool) async throws -> Response {
        let body = try await request.decode(as: [RoleRepresentation].self, context: context)
        try await changeComposites(
            context.principal, realm: try context.parameters.require("realm"), parentId: try context.parameters.require("id"),
            parts: body.map { ChangeRoleMappings.RoleReference(name: $0.name ?? "", id: $0.id) }, add: add)
        return Response(status: .noContent)
    }
}
