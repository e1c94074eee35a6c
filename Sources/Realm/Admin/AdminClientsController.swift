import Authentication
import Domain
import Hummingbird
import UseCases

/// `/admin/realms/{realm}/clients…`: clients, their secrets, service accounts and client roles.
struct AdminClientsController: Sendable {
    let clients: Clients
    let roles: Roles
    let create: CreateClient
    let update: UpdateClient
    let delete: DeleteClient
    let rotateSecret: RotateClientSecret
    let createRole: CreateRole
    let baseURL: String

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.post("", use: createClient)
        group.get("", use: list)
        group.get(":id", use: show)
        group.put(":id", use: updateClient)
        group.delete(":id", use: deleteClient)
        group.get(":id/client-secret", use: secret)
        group.post(":id/client-secret", use: regenerateSecret)
        group.get(":id/service-account-user", use: serviceAccountUser)
        group.post(":id/roles", use: createClientRole)
        group.get(":id/roles", use: listRoles)
    }

    @Sendable func createClient(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let body = try await request.decode(as: ClientRepresentation.self, context: context)
        guard let clientId = try? Identifier(body.clientId, field: "clientId") else { throw AdminError.badRequest("Invalid clientId") }
        let secret = try body.secret.map { raw in try ClientSecret(raw) }
        let client = try await create(context.principal, realm: realm, clientId: clientId, settings: Self.settings(body), secret: secret)
        return createdResponse(request, baseURL: baseURL, id: client.id)
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let filter = request.uri.queryParameters["clientId"].map(String.init)
        let substring = request.uri.queryParameters["search"] == "true"
        let matching = try await clients.all(context.principal, realm: try context.parameters.require("realm")).filter { client in
            guard let filter else { return true }
            return substring ? client.clientId.lowercased().contains(filter.lowercased()) : client.clientId == filter
        }
        return JSONBody.response(matching.map(ClientRepresentation.init))
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(ClientRepresentation(try await clients.find(context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("id"))))
    }

    @Sendable func updateClient(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: ClientRepresentation.self, context: context)
        let clientId = try body.clientId.map { raw in
            guard let valid = try? Identifier(raw, field: "clientId") else { throw AdminError.badRequest("Invalid clientId") }
            return valid
        }
        try await update(
            context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("id"), clientId: clientId,
            settings: Self.settings(body))
        return Response(status: .noContent)
    }

    @Sendable func deleteClient(_ request: Request, context: AdminContext) async throws -> Response {
        try await delete(context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("id"))
        return Response(status: .noContent)
    }

    struct SecretRepresentation: Encodable {
        var type = "secret"
        var value: String
    }

    /// Keycloak shows a confidential client's secret to its administrators; here it is unsealed only for this answer.
    @Sendable func secret(_ request: Request, context: AdminContext) async throws -> Response {
        let value = try await clients.secret(context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("id"))
        return JSONBody.response(headers: [.cacheControl: "no-store"], SecretRepresentation(value: value))
    }

    @Sendable func regenerateSecret(_ request: Request, context: AdminContext) async throws -> Response {
        let (_, secret) = try await rotateSecret(
            context.principal, realm: try context.parameters.require("realm"), clientInternalId: try context.parameters.require("id"))
        return JSONBody.response(headers: [.cacheControl: "no-store"], SecretRepresentation(value: secret))
    }

    @Sendable func serviceAccountUser(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(
            UserRepresentation(
                try await clients.serviceAccount(context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("id"))))
    }

    @Sendable func createClientRole(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: RoleRepresentation.self, context: context)
        guard let name = try? Identifier(body.name, field: "name") else { throw AdminError.badRequest("Invalid role name") }
        let role = try await createRole(
            context.principal, realm: try context.parameters.require("realm"), name: name, description: body.description ?? "",
            clientInternalId: try context.parameters.require("id"))
        return createdResponse(request, baseURL: baseURL, id: role.name)
    }

    @Sendable func listRoles(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let client = try await clients.find(context.principal, realm: realm, id: try context.parameters.require("id"))
        return JSONBody.response(try await roles.all(context.principal, realm: realm, clientInternalId: client.id).map(RoleRepresentation.init))
    }

    /// Keycloak's defaults, except that a client is confidential unless `publicClient` says otherwise.
    static func settings(_ body: ClientRepresentation) -> ClientSettings {
        ClientSettings(
            name: body.name, enabled: body.enabled, isPublic: body.publicClient, serviceAccountsEnabled: body.serviceAccountsEnabled,
            standardFlowEnabled: body.standardFlowEnabled, directAccessGrantsEnabled: body.directAccessGrantsEnabled, redirectURIs: body.redirectUris)
    }
}
