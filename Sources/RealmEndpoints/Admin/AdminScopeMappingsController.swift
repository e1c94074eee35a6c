import Domain
import HTTPKit
import Hummingbird
import UseCases

/// `…/scope-mappings…` of a client scope (`/client-scopes/{scope}`) or of a client (`/clients/{id}`): the roles it
/// names, realm roles and each client's, as Keycloak lists role mappings.
struct AdminScopeMappingsController: Sendable {
    let mappings: ScopeMappings
    let clients: Clients
    let roles: Roles
    let owner: AdminProtocolMappersController.OwnerParameter

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get("", use: all)
        group.get("realm", use: listRealm)
        group.post("realm", use: addRealm)
        group.delete("realm", use: removeRealm)
        group.get("realm/composite", use: listRealm)
        group.get("realm/available", use: availableRealm)
        group.get("clients/:client", use: listClient)
        group.post("clients/:client", use: addClient)
        group.delete("clients/:client", use: removeClient)
        group.get("clients/:client/composite", use: listClient)
        group.get("clients/:client/available", use: availableClient)
    }

    typealias ClientMappings = AdminRoleMappingsController.ClientMappings

    /// Keycloak's `MappingsRepresentation`, empty parts left out (`{}` when nothing is mapped; role mappings always
    /// name `realmMappings`).
    struct AllMappings: Encodable {
        let realmMappings: [RoleRepresentation]?
        let clientMappings: [String: ClientMappings]?
    }

    private func named(_ context: AdminContext) async throws -> [Role] {
        try await mappings.roles(context.principal, realm: try context.parameters.require("realm"), owner: try owner.owner(context))
    }

    @Sendable func all(_ request: Request, context: AdminContext) async throws -> Response {
        let found = try await named(context)
        var clientMappings: [String: ClientMappings] = [:]
        for client in try await clients.all(context.principal, realm: try context.parameters.require("realm")) {
            let roles = found.filter { $0.clientId == client.id }
            if !roles.isEmpty { clientMappings[client.clientId] = ClientMappings(id: client.id, client: client.clientId, mappings: roles.map { RoleRepresentation($0) }) }
        }
        let realmRoles = found.filter { $0.clientId == nil }
        return JSONBody.response(
            AllMappings(
                realmMappings: realmRoles.isEmpty ? nil : realmRoles.map { RoleRepresentation($0) }, clientMappings: clientMappings.isEmpty ? nil : clientMappings))
    }

    @Sendable func listRealm(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(try await named(context).filter { $0.clientId == nil }.map { RoleRepresentation($0) })
    }

    @Sendable func listClient(_ request: Request, context: AdminContext) async throws -> Response {
        let client = try context.parameters.require("client")
        _ = try await clients.find(context.principal, realm: try context.parameters.require("realm"), id: client)
        return JSONBody.response(try await named(context).filter { $0.clientId == client }.map { RoleRepresentation($0) })
    }

    @Sendable func availableRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await available(context, clientId: nil)
    }

    @Sendable func availableClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await available(context, clientId: try context.parameters.require("client"))
    }

    private func available(_ context: AdminContext, clientId: String?) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let held = Set(try await named(context).map(\.id))
        if let clientId { _ = try await clients.find(context.principal, realm: realm, id: clientId) }
        let all = try await roles.all(context.principal, realm: realm, clientInternalId: clientId)
        return JSONBody.response(all.filter { !held.contains($0.id) }.map { RoleRepresentation($0) })
    }

    @Sendable func addRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await change(request, context, clientId: nil, add: true)
    }

    @Sendable func removeRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await change(request, context, clientId: nil, add: false)
    }

    @Sendable func addClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await change(request, context, clientId: try context.parameters.require("client"), add: true)
    }

    @Sendable func removeClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await change(request, context, clientId: try context.parameters.require("client"), add: false)
    }

    private func change(_ request: Request, _ context: AdminContext, clientId: String?, add: Bool) async throws -> Response {
        let body = try await request.decode(as: [RoleRepresentation].self, context: context)
        try await mappings.change(
            context.principal, realm: try context.parameters.require("realm"), owner: try owner.owner(context),
            roles: body.map { ChangeRoleMappings.RoleReference(name: $0.name ?? "", id: $0.id) }, clientInternalId: clientId, add: add)
        return Response(status: .noContent)
    }
}
