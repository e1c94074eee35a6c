import Domain
import HTTPKit
import Hummingbird
import UseCases

/// `…/protocol-mappers/models…` and `…/protocol-mappers/add-models` of a client scope
/// (`/client-scopes/{scope}`) or of a client (`/clients/{id}`).
struct AdminProtocolMappersController: Sendable {
    /// Which path parameter names the owner.
    enum OwnerParameter: Sendable {
        case scope, client

        func owner(_ context: AdminContext) throws -> ProtocolMappers.Owner {
            switch self {
            case .scope: .scope(try context.parameters.require("scope"))
            case .client: .client(try context.parameters.require("id"))
            }
        }
    }

    let mappers: ProtocolMappers
    let owner: OwnerParameter
    let baseURL: String

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get("models", use: list)
        group.post("models", use: create)
        group.post("add-models", use: createMany)
        group.get("models/:mapper", use: show)
        group.put("models/:mapper", use: update)
        group.delete("models/:mapper", use: delete)
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let found = try await mappers.all(context.principal, realm: try context.parameters.require("realm"), owner: try owner.owner(context))
        return JSONBody.response(found.map(ProtocolMapperRepresentation.init))
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        let found = try await mappers.find(
            context.principal, realm: try context.parameters.require("realm"), owner: try owner.owner(context), id: try context.parameters.require("mapper"))
        return JSONBody.response(ProtocolMapperRepresentation(found))
    }

    @Sendable func create(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: ProtocolMapperRepresentation.self, context: context)
        let made = try await mappers.create(context.principal, realm: try context.parameters.require("realm"), owner: try owner.owner(context), [body.input])
        return createdResponse(request, baseURL: baseURL, id: made[0].id)
    }

    /// Several mappers at once (Keycloak's `add-models`), all or none.
    @Sendable func createMany(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: [ProtocolMapperRepresentation].self, context: context)
        _ = try await mappers.create(context.principal, realm: try context.parameters.require("realm"), owner: try owner.owner(context), body.map(\.input))
        return Response(status: .noContent)
    }

    @Sendable func update(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: ProtocolMapperRepresentation.self, context: context)
        try await mappers.update(
            context.principal, realm: try context.parameters.require("realm"), owner: try owner.owner(context), id: try context.parameters.require("mapper"),
            body.input)
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: AdminContext) async throws -> Response {
        try await mappers.delete(
            context.principal, realm: try context.parameters.require("realm"), owner: try owner.owner(context), id: try context.parameters.require("mapper"))
        return Response(status: .noContent)
    }
}
