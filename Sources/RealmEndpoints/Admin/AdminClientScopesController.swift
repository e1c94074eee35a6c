import Domain
import HTTPKit
import Hummingbird
import UseCases

/// `/admin/realms/{realm}/client-scopes…`, the realm's defaults for new clients (`/default-default-client-scopes`,
/// `/default-optional-client-scopes`) and each client's (`/clients/{id}/default-client-scopes`, `…/optional-…`).
struct AdminClientScopesController: Sendable {
    let scopes: ClientScopes
    let mappers: ProtocolMappers
    let baseURL: String

    func addRoutes(to realm: RouterGroup<AdminContext>) {
        realm.get("client-scopes", use: list)
        realm.post("client-scopes", use: create)
        realm.get("client-scopes/:scope", use: show)
        realm.put("client-scopes/:scope", use: update)
        realm.delete("client-scopes/:scope", use: delete)
        for kind in ScopeKind.allCases {
            realm.get(RouterPath("default-\(kind.rawValue)-client-scopes")) { _, context in
                try await realmDefaults(context, kind: kind)
            }
            realm.put(RouterPath("default-\(kind.rawValue)-client-scopes/:scope")) { _, context in
                try await setRealmDefault(context, kind: kind, on: true)
            }
            realm.delete(RouterPath("default-\(kind.rawValue)-client-scopes/:scope")) { _, context in
                try await setRealmDefault(context, kind: kind, on: false)
            }
            realm.get(RouterPath("clients/:id/\(kind.rawValue)-client-scopes")) { _, context in
                try await ofClient(context, kind: kind)
            }
            realm.put(RouterPath("clients/:id/\(kind.rawValue)-client-scopes/:scope")) { _, context in
                try await setOfClient(context, kind: kind, on: true)
            }
            realm.delete(RouterPath("clients/:id/\(kind.rawValue)-client-scopes/:scope")) { _, context in
                try await setOfClient(context, kind: kind, on: false)
            }
        }
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try context.parameters.require("realm")
        var listed: [ClientScopeRepresentation] = []
        for scope in try await scopes.all(context.principal, realm: realm) {
            listed.append(ClientScopeRepresentation(scope, mappers: try await mappers.all(context.principal, realm: realm, owner: .scope(scope.id))))
        }
        return JSONBody.response(listed)
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let scope = try await scopes.find(context.principal, realm: realm, id: try context.parameters.require("scope"))
        return JSONBody.response(ClientScopeRepresentation(scope, mappers: try await mappers.all(context.principal, realm: realm, owner: .scope(scope.id))))
    }

    @Sendable func create(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: ClientScopeRepresentation.self, context: context)
        try body.requireOpenIDConnect()
        let realm = try context.parameters.require("realm")
        let scope = try await scopes.create(
            context.principal, realm: realm, try ScopeInput(name: body.name ?? "", description: body.description, attributes: body.attributes),
            mappers: (body.protocolMappers ?? []).map(\.input))
        return createdResponse(request, baseURL: baseURL, id: scope.id)
    }

    @Sendable func update(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: ClientScopeRepresentation.self, context: context)
        try body.requireOpenIDConnect()
        try await scopes.update(
            context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("scope"), name: body.name,
            description: body.description, attributes: body.attributes)
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: AdminContext) async throws -> Response {
        try await scopes.delete(context.principal, realm: try context.parameters.require("realm"), id: try context.parameters.require("scope"))
        return Response(status: .noContent)
    }

    private func realmDefaults(_ context: AdminContext, kind: ScopeKind) async throws -> Response {
        let found = try await scopes.realmDefaults(context.principal, realm: try context.parameters.require("realm"), kind: kind)
        return JSONBody.response(found.map(ClientScopeReference.init))
    }

    private func setRealmDefault(_ context: AdminContext, kind: ScopeKind, on: Bool) async throws -> Response {
        try await scopes.setRealmDefault(
            context.principal, realm: try context.parameters.require("realm"), scopeId: try context.parameters.require("scope"), kind: kind, on: on)
        return Response(status: .noContent)
    }

    private func ofClient(_ context: AdminContext, kind: ScopeKind) async throws -> Response {
        let found = try await scopes.ofClient(
            context.principal, realm: try context.parameters.require("realm"), clientId: try context.parameters.require("id"), kind: kind)
        return JSONBody.response(found.map(ClientScopeReference.init))
    }

    private func setOfClient(_ context: AdminContext, kind: ScopeKind, on: Bool) async throws -> Response {
        try await scopes.setOfClient(
            context.principal, realm: try context.parameters.require("realm"), clientId: try context.parameters.require("id"),
            scopeId: try context.parameters.require("scope"), kind: kind, on: on)
        return Response(status: .noContent)
    }
}
