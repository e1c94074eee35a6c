import Authentication
import Domain
import Hummingbird
import Storage

/// The Keycloak admin REST subset under `/admin/realms`, for the server administrator and realm administrators.
public struct AdminRoutes: Sendable {
    let services: RealmServices

    public init(services: RealmServices) { self.services = services }

    public func addRoutes(to router: Router<AppRequestContext>) {
        for prefix in ["admin/realms", "auth/admin/realms"] {
            let group = router.group(RouterPath(prefix)).add(middleware: AdminAuthenticator(verifier: services.verifier))
                .add(middleware: AdminChangeMiddleware(services: services))
                .group(context: AdminContext.self)
            AdminRealmsController(services: services).addRoutes(to: group)
            AdminClientsController(services: services).addRoutes(to: group.group(":realm/clients"))
            AdminUsersController(services: services).addRoutes(to: group.group(":realm/users"))
            AdminRolesController(services: services).addRoutes(to: group.group(":realm/roles"))
            AdminRoleMappingsController(services: services).addRoutes(to: group.group(":realm/users/:user/role-mappings"))
        }
    }
}

/// After any admin change, every cache on this node is emptied and the change is announced to the other nodes, so a
/// disabled user, a new secret or a changed role holds everywhere at once (within a second on other nodes).
struct AdminChangeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: RealmServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .get else { return try await next(request, context) }
        let response = try await next(request, context)
        services.changes.notify()
        let database = services.database
        try? await database.transaction { sql in try await database.announceChange(on: sql) }
        return response
    }
}

extension RealmServices {
    /// The realm named in the path, after checking that the caller administers it.
    func administeredRealm(_ context: AdminContext) async throws -> Realm {
        let name = try context.parameters.require("realm")
        try context.authorize(realm: name)
        guard Names.isValidRealm(name), let realm = try await database.read({ sql in try await RealmStore(sql).find(name) }) else {
            throw AdminError.notFound("Realm not found.")
        }
        return realm
    }

    /// 201 with `Location` ending in the new object's id, as Keycloak answers creates.
    func created(_ request: Request, id: String) -> Response {
        let base = issuers.baseURL + request.uri.path
        return Response(status: .created, headers: [.location: "\(base.hasSuffix("/") ? String(base.dropLast()) : base)/\(id)"])
    }
}
