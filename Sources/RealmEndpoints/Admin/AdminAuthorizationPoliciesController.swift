import Domain
import HTTPKit
import Hummingbird
import UseCases

/// Policies (`…/authz/resource-server/policy…`) and permissions (`…/permission…`) of a resource server. Creating,
/// changing or showing through a typed path (`…/policy/role`, `…/permission/resource/{id}`) reads and answers the
/// typed form; `…/policy` and `…/policy/{id}` the generic one with `config`. Changes answer 201 with no body, as
/// Keycloak does.
struct AdminAuthorizationPoliciesController: Sendable {
    let servers: ResourceServers

    /// What `…/policy/{id}/{part}` lists; any other second segment is an id under a type (`…/policy/role/{id}`).
    static let parts: Set<String> = ["associatedPolicies", "dependentPolicies", "resources", "scopes"]

    func addRoutes(to group: RouterGroup<AdminContext>) {
        for root in ["policy", "permission"] {
            let permissions = root == "permission"
            group.get(RouterPath(root)) { request, context in try await list(request, context, permissionsOnly: permissions) }
            group.get(RouterPath(root + "/:policy"), use: showGeneric)
            group.post(RouterPath(root + "/:policy")) { request, context in try await create(request, context, typed: true, permissions: permissions) }
            group.put(RouterPath(root + "/:policy"), use: updateGeneric)
            group.delete(RouterPath(root + "/:policy"), use: deleteGeneric)
            group.get(RouterPath(root + "/:policy/:part"), use: showPart)
            group.put(RouterPath(root + "/:policy/:part"), use: updateTyped)
            group.delete(RouterPath(root + "/:policy/:part"), use: deleteTyped)
        }
        group.post("policy") { request, context in try await create(request, context, typed: false, permissions: false) }
    }

    /// Keycloak's filters: `permission` (true: permissions only, false: policies only), `name` (contained, any case),
    /// `type`, paged by `first`/`max`.
    func list(_ request: Request, _ context: AdminContext, permissionsOnly: Bool) async throws -> Response {
        let contents = try await servers.contents(context.principal, realm: try context.realm, client: try context.parameters.require("id"))
        let query = request.uri.queryParameters
        var found = contents.policies
        let permission = permissionsOnly ? "true" : query["permission"].map(String.init)
        if permission == "true" { found = found.filter(\.type.isPermission) }
        if permission == "false" { found = found.filter { !$0.type.isPermission } }
        if let name = query["name"].map(String.init), !name.isEmpty { found = found.filter { $0.name.lowercased().contains(name.lowercased()) } }
        if let type = query["type"].map(String.init), !type.isEmpty { found = found.filter { $0.type.rawValue == type } }
        return JSONBody.response(AdminAuthorizationController.page(found, request).map { AuthzPolicyRepresentation($0, typed: false) })
    }

    func create(_ request: Request, _ context: AdminContext, typed: Bool, permissions: Bool) async throws -> Response {
        let body = try await request.decode(as: AuthzPolicyRepresentation.self, context: context)
        var type: PolicyType?
        if typed {
            let named = try context.parameters.require("policy")
            guard let found = PolicyType(rawValue: named), found.isPermission == permissions else { throw AdminError.notFound("HTTP 404 Not Found") }
            type = found
        }
        let made = try await servers.createPolicy(context.principal, realm: try context.realm, client: try context.parameters.require("id"), type: type, try body.input())
        return JSONBody.response(status: .created, AuthzPolicyRepresentation(made, typed: true))
    }

    @Sendable func showGeneric(_ request: Request, context: AdminContext) async throws -> Response {
        let (policy, _) = try await policy(context, id: try context.parameters.require("policy"))
        return JSONBody.response(AuthzPolicyRepresentation(policy, typed: false))
    }

    /// `…/{id}/associatedPolicies|dependentPolicies|resources|scopes`, or `…/{type}/{id}` in the typed form.
    @Sendable func showPart(_ request: Request, context: AdminContext) async throws -> Response {
        let (first, part) = (try context.parameters.require("policy"), try context.parameters.require("part"))
        guard Self.parts.contains(part) else {
            let (policy, _) = try await policy(context, id: part, type: first)
            return JSONBody.response(AuthzPolicyRepresentation(policy, typed: true))
        }
        let (policy, contents) = try await policy(context, id: first)
        switch part {
        case "associatedPolicies":
            return JSONBody.response(contents.policies.filter { policy.policyIds.contains($0.id) }.map { AuthzPolicyRepresentation($0, typed: false) })
        case "dependentPolicies":
            return JSONBody.response(contents.policies.filter { $0.policyIds.contains(policy.id) }.map { AuthzPolicyRepresentation($0, typed: false) })
        case "resources":
            return JSONBody.response(
                contents.resources.filter { policy.resourceIds.contains($0.id) }
                    .map { AuthzResourceRepresentation($0, client: contents.client, scopes: contents.scopes) })
        default:
            return JSONBody.response(contents.scopes.filter { policy.scopeIds.contains($0.id) }.map(AuthzScopeRepresentation.init))
        }
    }

    @Sendable func updateGeneric(_ request: Request, context: AdminContext) async throws -> Response {
        try await update(request, context, id: try context.parameters.require("policy"), type: nil)
    }

    @Sendable func updateTyped(_ request: Request, context: AdminContext) async throws -> Response {
        try await update(request, context, id: try context.parameters.require("part"), type: try context.parameters.require("policy"))
    }

    @Sendable func deleteGeneric(_ request: Request, context: AdminContext) async throws -> Response {
        try await servers.deletePolicy(
            context.principal, realm: try context.realm, client: try context.parameters.require("id"), policy: try context.parameters.require("policy"))
        return Response(status: .noContent)
    }

    @Sendable func deleteTyped(_ request: Request, context: AdminContext) async throws -> Response {
        let (policy, _) = try await policy(context, id: try context.parameters.require("part"), type: try context.parameters.require("policy"))
        try await servers.deletePolicy(context.principal, realm: try context.realm, client: try context.parameters.require("id"), policy: policy.id)
        return Response(status: .noContent)
    }

    private func update(_ request: Request, _ context: AdminContext, id: String, type: String?) async throws -> Response {
        let body = try await request.decode(as: AuthzPolicyRepresentation.self, context: context)
        if let type { _ = try await policy(context, id: id, type: type) }
        try await servers.updatePolicy(context.principal, realm: try context.realm, client: try context.parameters.require("id"), policy: id, try body.input())
        return Response(status: .created)
    }

    /// The policy with this id (of this type, when the path names one), with the resource server's contents.
    private func policy(_ context: AdminContext, id: String, type: String? = nil) async throws -> (AuthorizationPolicy, ResourceServers.Contents) {
        let contents = try await servers.contents(context.principal, realm: try context.realm, client: try context.parameters.require("id"))
        guard let policy = contents.policies.first(where: { $0.id == id }), type == nil || policy.type.rawValue == type else {
            throw AdministrationError.notFound(.authzPolicy)
        }
        return (policy, contents)
    }
}
