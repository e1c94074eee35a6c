import Authentication
import Domain
import Hummingbird
import Storage

/// `/admin/realms/{realm}/users/{id}/role-mappings…`: which roles a user holds. Only administrators get here, which is
/// what "only an administrator can assign a role" means.
struct AdminRoleMappingsController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get("", use: all)
        group.get("realm", use: listRealm)
        group.post("realm", use: addRealm)
        group.delete("realm", use: removeRealm)
        group.get("clients/:client", use: listClient)
        group.post("clients/:client", use: addClient)
        group.delete("clients/:client", use: removeClient)
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
        let (realm, userId) = try await target(context)
        let (direct, clients) = try await services.database.read { sql in
            (try await RoleStore(sql).direct(userId: userId), try await ClientStore(sql).all(realm: realm))
        }
        var clientMappings: [String: ClientMappings] = [:]
        for client in clients {
            let roles = direct.filter { $0.clientId == client.id }
            if !roles.isEmpty {
                clientMappings[client.clientId] = ClientMappings(id: client.id, client: client.clientId, mappings: roles.map(RoleRepresentation.init))
            }
        }
        return JSONBody.response(
            AllMappings(
                realmMappings: direct.filter { $0.clientId == nil }.map(RoleRepresentation.init),
                clientMappings: clientMappings.isEmpty ? nil : clientMappings))
    }

    @Sendable func listRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await list(context, clientId: nil)
    }

    @Sendable func addRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await change(request, context, clientId: nil, grant: true)
    }

    @Sendable func removeRealm(_ request: Request, context: AdminContext) async throws -> Response {
        try await change(request, context, clientId: nil, grant: false)
    }

    @Sendable func listClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await list(context, clientId: try context.parameters.require("client"))
    }

    @Sendable func addClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await change(request, context, clientId: try context.parameters.require("client"), grant: true)
    }

    @Sendable func removeClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await change(request, context, clientId: try context.parameters.require("client"), grant: false)
    }

    private func list(_ context: AdminContext, clientId: String?) async throws -> Response {
        let (_, userId) = try await target(context)
        let direct = try await services.database.read { sql in try await RoleStore(sql).direct(userId: userId) }
        return JSONBody.response(direct.filter { $0.clientId == clientId }.map(RoleRepresentation.init))
    }

    /// Grants or removes the listed roles in one transaction; every entry's `id` and `name` must name the same role.
    private func change(_ request: Request, _ context: AdminContext, clientId: String?, grant: Bool) async throws -> Response {
        let (realm, userId) = try await target(context)
        let body = try await AdminBody.decode([RoleRepresentation].self, from: request)
        try await services.database.transaction { sql in
            let roles = RoleStore(sql)
            for entry in body {
                guard let name = entry.name, let role = try await roles.find(realm: realm, clientId: clientId, name: name),
                    entry.id == nil || entry.id == role.id
                else { throw AdminError.notFound("Role not found") }
                if grant { try await roles.grant(userId: userId, roleId: role.id) } else { try await roles.revoke(userId: userId, roleId: role.id) }
            }
        }
        return Response(status: .noContent)
    }

    private func target(_ context: AdminContext) async throws -> (realm: String, userId: String) {
        let realm = try await services.administeredRealm(context)
        let id = try context.parameters.require("user")
        guard try await services.database.read({ sql in try await UserStore(sql).find(realm: realm.name, id: id) }) != nil else {
            throw AdminError.notFound("User not found")
        }
        return (realm.name, id)
    }
}
