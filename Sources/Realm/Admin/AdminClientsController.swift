import Authentication
import Domain
import Hummingbird
import Storage

/// `/admin/realms/{realm}/clients…`: clients, their secrets, service accounts and client roles.
struct AdminClientsController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.post("", use: create)
        group.get("", use: list)
        group.get(":id", use: show)
        group.put(":id", use: update)
        group.delete(":id", use: delete)
        group.get(":id/client-secret", use: secret)
        group.post(":id/client-secret", use: regenerateSecret)
        group.get(":id/service-account-user", use: serviceAccountUser)
        group.post(":id/roles", use: createRole)
        group.get(":id/roles", use: listRoles)
    }

    @Sendable func create(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await services.administeredRealm(context)
        let body = try await AdminBody.decode(ClientRepresentation.self, from: request)
        guard let clientId = body.clientId, Names.isValidIdentifier(clientId) else { throw AdminError.badRequest("Invalid clientId") }
        var client = Client(id: Identifiers.uuid(), realm: realm.name, clientId: clientId, createdAt: services.clock.now)
        Self.apply(body, to: &client)
        if let secret = body.secret, secret.count < 16 { throw AdminError.badRequest("Client secret must have at least 16 characters") }
        let sealed = client.isPublic ? nil : try services.secrets.seal(body.secret ?? SecretGenerator.alphanumeric())
        let newClient = client
        let clock = services.clock
        do {
            try await services.database.transaction { sql in
                try await ClientStore(sql).insert(newClient, sealedSecret: sealed)
                if newClient.serviceAccountsEnabled && !newClient.isPublic {
                    try await UserProvisioner(clock: clock).createServiceAccount(
                        for: newClient, roles: [NexusOneRoles.defaultComposite(realm: realm.name)], on: sql)
                }
            }
        } catch StorageError.duplicate {
            throw AdminError.conflict("Client \(clientId) already exists")
        }
        return services.created(request, id: client.id)
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await services.administeredRealm(context)
        let filter = request.uri.queryParameters["clientId"].map(String.init)
        let substring = request.uri.queryParameters["search"] == "true"
        let clients = try await services.database.read { sql in try await ClientStore(sql).all(realm: realm.name) }
        let matching = clients.filter { client in
            guard let filter else { return true }
            return substring ? client.clientId.lowercased().contains(filter.lowercased()) : client.clientId == filter
        }
        return JSONBody.response(matching.map(ClientRepresentation.init))
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(ClientRepresentation(try await record(context).client))
    }

    @Sendable func update(_ request: Request, context: AdminContext) async throws -> Response {
        var client = try await record(context).client
        let body = try await AdminBody.decode(ClientRepresentation.self, from: request)
        let wasServiceAccount = client.serviceAccountsEnabled
        Self.apply(body, to: &client)
        if let clientId = body.clientId, clientId != client.clientId {
            guard Names.isValidIdentifier(clientId) else { throw AdminError.badRequest("Invalid clientId") }
            client.clientId = clientId
        }
        let updated = client
        let clock = services.clock
        do {
            try await services.database.transaction { sql in
                try await ClientStore(sql).update(updated)
                if updated.serviceAccountsEnabled, !wasServiceAccount, !updated.isPublic,
                    try await UserStore(sql).serviceAccount(clientInternalId: updated.id) == nil
                {
                    try await UserProvisioner(clock: clock).createServiceAccount(
                        for: updated, roles: [NexusOneRoles.defaultComposite(realm: updated.realm)], on: sql)
                }
            }
        } catch StorageError.duplicate {
            throw AdminError.conflict("Client \(updated.clientId) already exists")
        }
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: AdminContext) async throws -> Response {
        let client = try await record(context).client
        try await services.database.transaction { sql in try await ClientStore(sql).delete(id: client.id) }
        return Response(status: .noContent)
    }

    struct SecretRepresentation: Encodable {
        var type = "secret"
        var value: String
    }

    /// Keycloak shows a confidential client's secret to its administrators; here it is unsealed only for this answer.
    @Sendable func secret(_ request: Request, context: AdminContext) async throws -> Response {
        let record = try await record(context)
        guard let sealed = record.sealedSecret else { throw AdminError.notFound("Client has no secret") }
        return JSONBody.response(headers: [.cacheControl: "no-store"], SecretRepresentation(value: try services.secrets.open(sealed)))
    }

    @Sendable func regenerateSecret(_ request: Request, context: AdminContext) async throws -> Response {
        let record = try await record(context)
        guard !record.client.isPublic else { throw AdminError.badRequest("Public clients have no secret") }
        let secret = SecretGenerator.alphanumeric()
        let sealed = try services.secrets.seal(secret)
        try await services.database.transaction { sql in try await ClientStore(sql).setSecret(id: record.client.id, sealedSecret: sealed) }
        return JSONBody.response(headers: [.cacheControl: "no-store"], SecretRepresentation(value: secret))
    }

    @Sendable func serviceAccountUser(_ request: Request, context: AdminContext) async throws -> Response {
        let client = try await record(context).client
        guard let user = try await services.database.read({ sql in try await UserStore(sql).serviceAccount(clientInternalId: client.id) }) else {
            throw AdminError.badRequest("Service account not enabled for the client '\(client.clientId)'")
        }
        return JSONBody.response(UserRepresentation(user))
    }

    @Sendable func createRole(_ request: Request, context: AdminContext) async throws -> Response {
        let client = try await record(context).client
        let body = try await AdminBody.decode(RoleRepresentation.self, from: request)
        guard let name = body.name, Names.isValidIdentifier(name) else { throw AdminError.badRequest("Invalid role name") }
        let role = Role(id: Identifiers.uuid(), realm: client.realm, clientId: client.id, name: name, description: body.description ?? "")
        do {
            try await services.database.transaction { sql in try await RoleStore(sql).insert(role) }
        } catch StorageError.duplicate {
            throw AdminError.conflict("Role with name \(name) already exists")
        }
        return services.created(request, id: name)
    }

    @Sendable func listRoles(_ request: Request, context: AdminContext) async throws -> Response {
        let client = try await record(context).client
        let roles = try await services.database.read { sql in try await RoleStore(sql).all(realm: client.realm, clientId: client.id) }
        return JSONBody.response(roles.map(RoleRepresentation.init))
    }

    private func record(_ context: AdminContext) async throws -> ClientStore.Record {
        let realm = try await services.administeredRealm(context)
        let id = try context.parameters.require("id")
        guard let record = try await services.database.read({ sql in try await ClientStore(sql).find(realm: realm.name, id: id) }) else {
            throw AdminError.notFound("Could not find client")
        }
        return record
    }

    /// Keycloak defaults, except that a client is confidential unless `publicClient` says otherwise.
    private static func apply(_ body: ClientRepresentation, to client: inout Client) {
        if let name = body.name { client.name = name }
        if let enabled = body.enabled { client.enabled = enabled }
        if let isPublic = body.publicClient { client.isPublic = isPublic }
        if let serviceAccounts = body.serviceAccountsEnabled { client.serviceAccountsEnabled = serviceAccounts }
        if let standardFlow = body.standardFlowEnabled { client.standardFlowEnabled = standardFlow }
        if let directAccess = body.directAccessGrantsEnabled { client.directAccessGrantsEnabled = directAccess }
        if let redirects = body.redirectUris { client.redirectURIs = redirects }
    }
}
