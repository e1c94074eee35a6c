import Authentication
import Domain
import Hummingbird
import UseCases

/// `/admin/realms/{realm}/roles…`: realm roles.
struct AdminRolesController: Sendable {
    let roles: Roles
    let create: CreateRole
    let delete: DeleteRole
    let baseURL: String

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.post("", use: createRole)
        group.get("", use: list)
        group.get(":name", use: show)
        group.delete(":name", use: deleteRole)
    }

    @Sendable func createRole(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: RoleRepresentation.self, context: context)
        guard let name = try? Identifier(body.name, field: "name") else { throw AdminError.badRequest("Invalid role name") }
        let role = try await create(context.principal, realm: try context.parameters.require("realm"), name: name, description: body.description ?? "")
        return createdResponse(request, baseURL: baseURL, id: role.name)
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(try await roles.all(context.principal, realm: try context.parameters.require("realm")).map(RoleRepresentation.init))
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(
            RoleRepresentation(try await roles.find(context.principal, realm: try context.parameters.require("realm"), name: try context.parameters.require("name"))))
    }

    @Sendable func deleteRole(_ request: Request, context: AdminContext) async throws -> Response {
        try await delete(context.principal, realm: try context.parameters.require("realm"), name: try context.parameters.require("name"))
        return Response(status: .noContent)
    }
}
