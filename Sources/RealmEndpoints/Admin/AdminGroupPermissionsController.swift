import Domain
import HTTPKit
import Hummingbird
import UseCases

/// `…/groups/{id}/management/permissions`: a group's fine-grained admin permissions, on or off, as Keycloak's
/// `ManagementPermissionReference` (`{"enabled", "resource", "scopePermissions": {scope: permission id}}`).
struct AdminGroupPermissionsController: Sendable {
    let permissions: GroupPermissions

    struct Representation: Codable {
        var enabled: Bool
        var resource: String?
        var scopePermissions: [String: String]?

        init(_ reference: GroupPermissions.Reference) {
            enabled = reference.enabled
            resource = reference.resourceId
            scopePermissions = reference.enabled ? reference.scopePermissions : nil
        }
    }

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get(use: show)
        group.put(use: update)
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        JSONBody.response(
            Representation(try await permissions.reference(context.principal, realm: try context.realm, group: try context.parameters.require("group"))))
    }

    @Sendable func update(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: Representation.self, context: context)
        let reference = try await permissions.set(
            context.principal, realm: try context.realm, group: try context.parameters.require("group"), enabled: body.enabled)
        return JSONBody.response(Representation(reference))
    }
}
