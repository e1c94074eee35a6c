import Hummingbird
import UseCases

/// `POST /admin/realms/{realm}/clear-realm-cache`, `…/clear-user-cache` and `…/clear-keys-cache`: each empties this
/// server's caches on every node (`ClearCaches`).
struct AdminCachesController: Sendable {
    let clear: ClearCaches

    func addRoutes(to group: RouterGroup<AdminContext>) {
        for path in ["clear-realm-cache", "clear-user-cache", "clear-keys-cache"] { group.post(RouterPath(path), use: clearCaches) }
    }

    @Sendable func clearCaches(_ request: Request, context: AdminContext) async throws -> Response {
        try await clear(context.principal, realm: try context.parameters.require("realm"))
        return Response(status: .noContent)
    }
}
