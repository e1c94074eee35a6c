import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// Which path parameter names the holder of the role mappings.
enum RoleHolderParameter: Sendable {
    case user, group

    func holder(_ context: AdminContext) throws -> RoleHolder {
        switch self {
        case .user: .user(try context.parameters.require("user"))
        case .group: .group(try context.parameters.require("group"))
        }
    }
}

/// `/admin/realms/{realm}/users/{id}/role-mappings…` and `…/groups/{id}/role-mappings…`: which roles a user or a group
/// holds. Only administrators get here (`ChangeRoleMappings` checks), which is what "only an administrator can assign
/// a role" means.
struct AdminRoleMappingsController: Sendable {
    let mappings: RoleMappings
    let clients: Clients
    let roles: Roles
    let change: ChangeRoleMappings
    let holder: RoleHolderParameter

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get("", use: all)
        group.get("realm", use: listRealm)
        group.post("realm", use: addRealm)
        group.delete("realm", use: removeRealm)
        group.get("realm/composite", use: effectiveRealm)
        group.get("realm/available", use: availableRealm)
        group.get("clients/:client", use: listClient)
        group.post("clients/:client", use: addClient)
        group.delete("clients/:client", use: removeClient)
        group.get("clients/:client/composite", use: effectiveClient)
        group.get("clients/:client/available", use: availableClient)
    }

    struct ClientMappings: Encodable {
        let id: String
        let client: String
        let mappings: [RoleRepresentation]
    }

    struct AllMappings: Encodable {
        let realmMappings: [RoleRepresentation]
        let clientMappings: [String: ClientMappings]?
    }

    @Sendable func all(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let direct = try await mappings.direct(context.principal, realm: realm, holder: try holder.holder(context))
        var clientMappings: [String: ClientMappings] = [:]
        for client in try await clients.all(context.principal, realm: realm) {
            let roles = direct.filter { $0.clientId == client.id }
            if !roles.isEmpty {
                clientMappings[client.clientId] = ClientMappings(id: client.id, client: client.clientId, mappings: roles.map { RoleRepresentation($0) })
            }
        }
        return JSONBody.response(
            AllMappings(
                realmMappings: direct.filter { $0.clientId == nil }.map { RoleRepresentation($0) },
                clientMappings: clientMappings.isEmpty ? nil : clientMappings))
    }

    @Sendable func listRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await list(context, clientId: nil)
    }

    @Sendable func addRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await changeMappings(request, context, clientId: nil, grant: true)
    }

    @Sendable func removeRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await changeMappings(request, context, clientId: nil, grant: false)
    }

    @Sendable func listClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await list(context, clientId: try context.parameters.require("client"))
    }

    @Sendable func addClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await changeMappings(request, context, clientId: try context.parameters.require("client"), grant: true)
    }

    @Sendable func removeClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await changeMappings(request, context, clientId: try context.parameters.require("client"), grant: false)
    }

    private func list(_ context: AdminContext, clientId: String?) async throws -> Response {
        if let clientId { try await requireClient(context, id: clientId) }
        let direct = try await mappings.direct(context.principal, realm: try context.parameters.require("realm"), holder: try holder.holder(context))
        return JSONBody.response(direct.filter { $0.clientId == clientId }.map { RoleRepresentation($0) })
    }

    @Sendable func effectiveRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await effective(request, context, clientId: nil)
    }

    @Sendable func effectiveClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await effective(request, context, clientId: try context.parameters.require("client"))
    }

    @Sendable func availableRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await available(context, clientId: nil)
    }

    @Sendable func availableClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await available(context, clientId: try context.parameters.require("client"))
    }

    /// Every role of the realm (or of one client) the holder gives, directly, through composites or groups above.
    private func effective(_ request: Request, _ context: AdminContext, clientId: String?) async throws -> Response {
        let brief = AdminListQuery(request).brief(default: true)
        if let clientId { try await requireClient(context, id: clientId) }
        let held = try await mappings.effective(context.principal, realm: try context.parameters.require("realm"), holder: try holder.holder(context))
        return JSONBody.response(held.filter { $0.clientId == clientId }.map { RoleRepresentation($0, brief: brief) })
    }

    /// The roles of the realm (or of one client) not mapped to the holder directly, as Keycloak lists them: a role the
    /// holder reaches through a composite or a group can still be mapped on its own.
    private func available(_ context: AdminContext, clientId: String?) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let held = Set(try await mappings.direct(context.principal, realm: realm, holder: try holder.holder(context)).map(\.id))
        if let clientId { try await requireClient(context, id: clientId) }
        let all = try await roles.all(context.principal, realm: realm, clientInternalId: clientId)
        return JSONBody.response(all.filter { !held.contains($0.id) }.map { RoleRepresentation($0) })
    }

    /// Grants or removes the listed roles in one transaction; every entry's `id` and `name` must name the same role.
    private func changeMappings(_ request: Request, _ context: AdminContext, clientId: String?, grant: Bool) async throws -> Response {
        let body = try await request.decode(as: [RoleRepresentation].self, context: context)
        let references = try body.map { entry in
            guard let name = entry.name else { throw AdminError.notFound("Role not found") }
            return ChangeRoleMappings.RoleReference(name: name, id: entry.id)
        }
        try await change(
            context.principal, realm: try context.parameters.require("realm"), holder: try holder.holder(context), roles: references,
            clientInternalId: clientId, grant: grant)
        return Response(status: .noContent)
    }

    /// A client's role mappings name an existing client: Keycloak's 404 `Client not found` otherwise, not an empty list.
    private func requireClient(_ context: AdminContext, id: String) async throws {
        do {
            _ = try await clients.find(context.principal, realm: try context.parameters.require("realm"), id: id)
        } catch AdministrationError.notFound(.client) {
            throw AdministrationError.notFound(.clientByClientId)
        }
    }
}
