import Domain
import HTTPKit
import Hummingbird
import Identity
import Storage
import UseCases

/// The Keycloak admin REST subset under `/admin/realms`, for the server administrator and realm administrators. Every
/// change goes through a use case, which authorizes the caller, commits and announces it; this front end only reads
/// Keycloak's representations and answers in Keycloak's shapes.
public struct AdminRoutes: Sendable {
    let services: RealmServices

    public init(services: RealmServices) { self.services = services }

    public func addRoutes(to router: Router<AppRequestContext>) {
        let (changes, clock, database) = (services.changes, services.clock, services.database)
        let provisioner = RealmProvisioner(secrets: services.secrets, clock: clock)
        let realms = Realms(database: database)
        let users = Users(database: database)
        let roles = Roles(database: database)
        let clients = Clients(database: database, secrets: services.secrets)
        for prefix in ["admin/realms", "auth/admin/realms"] {
            let group = router.group(RouterPath(prefix)).add(middleware: AdminAuthenticator(verifier: services.verifier))
                .add(middleware: AdminErrorMiddleware())
                .group(context: AdminContext.self)
            AdminRealmsController(
                realms: realms, create: CreateRealm(changes: changes, provisioner: provisioner), update: UpdateRealm(changes: changes),
                delete: DeleteRealm(changes: changes), baseURL: services.issuers.baseURL
            ).addRoutes(to: group)
            AdminClientsController(
                clients: clients, create: CreateClient(changes: changes, secrets: services.secrets, clock: clock),
                update: UpdateClient(changes: changes, clock: clock), delete: DeleteClient(changes: changes),
                rotateSecret: RotateClientSecret(changes: changes, secrets: services.secrets), baseURL: services.issuers.baseURL
            ).addRoutes(to: group.group(":realm/clients"))
            AdminUsersController(
                users: users, create: CreateUser(changes: changes, passwords: services.passwords, clock: clock),
                update: UpdateUser(changes: changes, clock: clock), delete: DeleteUser(changes: changes, clock: clock),
                resetPassword: ResetPassword(changes: changes, passwords: services.passwords, clock: clock),
                signOut: SignOutUser(changes: changes, clock: clock), credentials: PasswordCredentials(changes: changes), clock: clock,
                baseURL: services.issuers.baseURL
            ).addRoutes(to: group.group(":realm/users"))
            for (path, ofClient) in [(":realm/roles", false), (":realm/clients/:id/roles", true)] {
                AdminRolesController(
                    roles: roles, clients: clients, create: CreateRole(changes: changes), update: UpdateRole(changes: changes),
                    delete: DeleteRole(changes: changes), changeComposites: ChangeComposites(changes: changes), baseURL: services.issuers.baseURL,
                    ofClient: ofClient
                ).addRoutes(to: group.group(RouterPath(path)))
            }
            AdminRolesByIdController(roles: roles).addRoutes(to: group.group(":realm/roles-by-id"))
            AdminRoleMappingsController(users: users, clients: clients, roles: roles, change: ChangeRoleMappings(changes: changes))
                .addRoutes(to: group.group(":realm/users/:user/role-mappings"))
            AdminKeysController(realms: realms, directory: services.realms).addRoutes(to: group.group(":realm/keys"))
        }
    }
}

/// What the use cases refuse, in Keycloak's admin shapes: `{"error"}` for missing objects and refused access,
/// `{"errorMessage"}` for conflicts and bad input.
struct AdminErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AdministrationError {
            throw AdminError(error)
        } catch let error as ValueError {
            throw AdminError.badRequest(error.message)
        }
    }
}

extension AdminError {
    /// Keycloak's own words for each refusal, so its clients see what they expect.
    init(_ error: AdministrationError) {
        switch error {
        case .notFound(.realm): self = .notFound("Realm not found.")
        case .notFound(.client): self = .notFound("Could not find client")
        case .notFound(.user): self = .notFound("User not found")
        case .notFound(.role): self = .notFound("Could not find role")
        case .notFound(.credential): self = .notFound("Credential not found")
        case .exists(.realm, _): self = .conflict("Conflict detected. See logs for details")
        case .exists(.client, let name): self = .conflict("Client \(name) already exists")
        case .exists(.user, _): self = .conflict("User exists with same username")
        case .exists(.role, let name): self = .conflict("Role with name \(name) already exists")
        case .exists(.credential, _): self = .conflict("Credential exists")
        case .forbidden: self = .forbidden
        case .refused(let reason): self = .badRequest(reason)
        }
    }
}

/// 201 with `Location` ending in the new object's id, as Keycloak answers creates.
func createdResponse(_ request: Request, baseURL: String, id: String) -> Response {
    let base = baseURL + request.uri.path
    return Response(status: .created, headers: [.location: "\(base.hasSuffix("/") ? String(base.dropLast()) : base)/\(id)"])
}
