import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/admin/realms/{realm}/clients…`: clients, their secrets and service accounts (their roles: `AdminRolesController`).
struct AdminClientsController: Sendable {
    let clients: Clients
    let create: CreateClient
    let update: UpdateClient
    let delete: DeleteClient
    let rotateSecret: RotateClientSecret
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
        group.get(":id/certificates/:attribute", use: certificateInfo)
    }

    @Sendable func createClient(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let body = try await request.decode(as: ClientRepresentation.self, context: context)
        guard let clientId = try? Identifier(body.clientId, field: "clientId") else { throw AdminError.badRequest("Invalid clientId") }
        let secret = try body.secret.map { raw in try ClientSecret(raw) }
        let client = try await create(context.principal, realm: realm, clientId: clientId, settings: Self.settings(body), secret: secret)
        return createdResponse(request, baseURL: baseURL, id: client.id)
    }

    /// `clientId` (exact, or part of it with `search=true`), `first`, `max`.
    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let filter = query.string("clientId")
        let substring = query.flag("search") == true
        let matching = try await clients.all(context.principal, realm: try context.parameters.require("realm")).filter { client in
            guard let filter else { return true }
            return substring ? TextMatch.contains(filter).matches(client.clientId) : client.clientId == filter
        }
        return JSONBody.response(try query.window().slice(matching).map(ClientRepresentation.init))
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

    /// A client without service accounts is Keycloak's 400 with the sentence as `error`.
    @Sendable func serviceAccountUser(_ request: Request, context: AdminContext) async throws -> Response {
        do {
            return JSONBody.response(
                UserRepresentation(
                    try await clients.serviceAccount(context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("id"))))
        } catch AdministrationError.refused(let reason) {
            throw AdminError(status: .badRequest, message: reason, key: "error")
        }
    }

    /// Keycloak's `CertificateRepresentation` of a client's key for `attribute` (`jwt.credential`, …): no client here
    /// authenticates with a key or certificate (secrets only), so every client's is empty, as Keycloak's is for a
    /// client without one.
    @Sendable func certificateInfo(_ request: Request, context: AdminContext) async throws -> Response {
        _ = try await clients.find(context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("id"))
        return JSONBody.response([String: String]())
    }

    /// Keycloak's defaults, except that a client is confidential unless `publicClient` says otherwise.
    static func settings(_ body: ClientRepresentation) -> ClientSettings {
        ClientSettings(
            name: body.name, enabled: body.enabled, isPublic: body.publicClient, serviceAccountsEnabled: body.serviceAccountsEnabled,
            standardFlowEnabled: body.standardFlowEnabled, directAccessGrantsEnabled: body.directAccessGrantsEnabled, redirectURIs: body.redirectUris,
            authorizationServicesEnabled: body.authorizationServicesEnabled)
    }
}
