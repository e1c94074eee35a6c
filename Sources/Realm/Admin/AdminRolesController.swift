import Authentication
import Domain
import Hummingbird
import Storage

/// `/admin/realms/{realm}/roles…`: realm roles.
struct AdminRolesController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.post("", use: create)
        group.get("", use: list)
        group.get(":name", use: show)
        group.delete(":name", use: delete)
    }

    @Sendable func create(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await services.administeredRealm(context)
        let body = try await AdminBody.decode(RoleRepresentation.self, from: request)
        guard let name = body.name, Names.isValidIdentifier(name) else { throw AdminError.badRequest("Invalid role name") }
        let role = Role(id: Identifiers.uuid(), realm: realm.name, name: name, description: body.description ?? "")
        do {
            try await services.database.transaction { sql in try await RoleStore(sql).insert(role) }
        } catch StorageError.duplicate {
            throw AdminError.conflict("Role with name \(name) already exists")
        }
        return services.created(request, id: name)
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await services.administeredRealm(context)
        let roles = try await services.database.read { sql in try await RoleStore(sql).all(realm: realm.name) }
        return JSONBody.response(roles.map(RoleRepresentation.init))
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(RoleRepresentation(try await role(context)))
    }

    @Sendable func delete(_ request: Request, context: AdminContext) async throws -> Response {
        let role = try await role(context)
        guard role.name != NexusOneRoles.defaultComposite(realm: role.realm) else { throw AdminError.badRequest("The default roles cannot be deleted") }
        try await services.database.transaction { sql in try await RoleStore(sql).delete(id: role.id) }
        return Response(status: .noContent)
    }

    private func role(_ context: AdminContext) async throws -> Role {
        let realm = try await services.administeredRealm(context)
        let name = try context.parameters.require("name")
        guard let role = try await services.database.read({ sql in try await RoleStore(sql).find(realm: realm.name, name: name) }) else {
            throw AdminError.notFound("Could not find role")
        }
        return role
    }
}
