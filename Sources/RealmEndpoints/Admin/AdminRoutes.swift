import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// The Keycloak admin REST subset under `/admin/realms`, for the server administrator and realm administrators. Every
/// change goes through a use case, which authorizes the caller, commits and announces it; this front end only reads
/// Keycloak's representations and answers in Keycloak's shapes.
public struct AdminRoutes: Sendable {
    let services: RealmServices
    /// This server's version, which `/admin/serverinfo` reports beside Keycloak's.
    let version: String

    public init(services: RealmServices, version: String) {
        self.services = services
        self.version = version
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        let admin = services.administration
        let baseURL = services.issuers.baseURL
        for root in ["admin", "auth/admin"] {
            let top = router.group(RouterPath(root)).add(middleware: AdminAuthenticator(verifier: services.verifier))
                .add(middleware: AdminErrorMiddleware())
                .group(context: AdminContext.self)
            AdminServerInfoController(version: version).addRoutes(to: top)
            let group = top.group("realms")
            AdminRealmsController(
                realms: admin.realms, create: admin.createRealm, update: admin.updateRealm, delete: admin.deleteRealm, documents: admin.documents,
                importRealm: admin.importRealm, exportRealm: admin.exportRealm, partialImport: admin.partialImport, baseURL: baseURL
            ).addRoutes(to: group)
            let realm = group.group(":realm").add(middleware: ExistingRealmMiddleware(directory: services.realms))
            AdminUserProfileController(documents: admin.documents).addRoutes(to: realm.group("users"))
            AdminClientsController(
                clients: admin.clients, create: admin.createClient, update: admin.updateClient, delete: admin.deleteClient,
                rotateSecret: admin.rotateClientSecret, baseURL: baseURL
            ).addRoutes(to: realm.group("clients"))
            AdminUsersController(
                users: admin.users, create: admin.createUser, update: admin.updateUser, delete: admin.deleteUser, resetPassword: admin.resetPassword,
                signOut: admin.signOutUser, credentials: admin.passwordCredentials, twoFactor: admin.twoFactor, clock: services.clock, baseURL: baseURL
            ).addRoutes(to: realm.group("users"))
            for (path, ofClient) in [("roles", false), ("clients/:id/roles", true)] {
                AdminRolesController(
                    roles: admin.roles, clients: admin.clients, create: admin.createRole, update: admin.updateRole, delete: admin.deleteRole,
                    changeComposites: admin.changeComposites, roleMappings: admin.roleMappings, baseURL: baseURL, ofClient: ofClient
                ).addRoutes(to: realm.group(RouterPath(path)))
            }
            AdminRolesByIdController(roles: admin.roles, update: admin.updateRole, delete: admin.deleteRole, changeComposites: admin.changeComposites)
                .addRoutes(to: realm.group("roles-by-id"))
            for (path, holder) in [("users/:user/role-mappings", RoleHolderParameter.user), ("groups/:group/role-mappings", .group)] {
                AdminRoleMappingsController(
                    mappings: admin.roleMappings, clients: admin.clients, roles: admin.roles, change: admin.changeRoleMappings, holder: holder
                ).addRoutes(to: realm.group(RouterPath(path)))
            }
            AdminGroupsController(
                groups: admin.groups, change: admin.changeGroups, roleMappings: admin.roleMappings, clients: admin.clients, baseURL: baseURL
            ).addRoutes(to: realm)
            AdminUserGroupsController(groups: admin.groups, change: admin.changeGroups).addRoutes(to: realm.group("users/:user"))
            AdminGroupPermissionsController(permissions: admin.groupPermissions).addRoutes(to: realm.group("groups/:group/management/permissions"))
            AdminSessionsController(sessions: admin.sessions, clients: admin.clients).addRoutes(to: realm)
            AdminConsentsController(consents: admin.offlineConsents).addRoutes(to: realm.group("users/:user"))
            AdminAttackDetectionController(failures: admin.signInFailures).addRoutes(to: realm.group("attack-detection/brute-force"))
            AdminEventsController(events: admin.loginEvents, realms: admin.realms, update: admin.updateRealm).addRoutes(to: realm)
            AdminRequiredActionsController(realms: admin.realms, update: admin.updateRealm)
                .addRoutes(to: realm.group("authentication/required-actions"))
            AdminKeysController(realms: admin.realms, directory: services.realms).addRoutes(to: realm.group("keys"))
            AdminCachesController(clear: admin.clearCaches).addRoutes(to: realm)
            AdminAuthorizationController(servers: admin.resourceServers, baseURL: baseURL).addRoutes(to: realm.group("clients/:id/authz/resource-server"))
            AdminClientScopesController(scopes: admin.clientScopes, mappers: admin.protocolMappers, baseURL: baseURL).addRoutes(to: realm)
            for (path, owner) in [("client-scopes/:scope", AdminProtocolMappersController.OwnerParameter.scope), ("clients/:id", .client)] {
                AdminProtocolMappersController(mappers: admin.protocolMappers, owner: owner, baseURL: baseURL)
                    .addRoutes(to: realm.group(RouterPath(path + "/protocol-mappers")))
                AdminScopeMappingsController(mappings: admin.scopeMappings, clients: admin.clients, roles: admin.roles, owner: owner)
                    .addRoutes(to: realm.group(RouterPath(path + "/scope-mappings")))
            }
        }
    }
}

/// Everything under `/admin/realms/{realm}/…` is about an existing realm: any other answers Keycloak's 404 `Realm not
/// found.` before a route looks further (a role list of a missing realm is not an empty list).
struct ExistingRealmMiddleware: RouterMiddleware {
    typealias Context = AdminContext
    let directory: RealmDirectory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let name = context.parameters.get("realm"), Names.isValidRealm(name), try await directory.entry(name) != nil else {
            throw AdminError.notFound("Realm not found.")
        }
        return try await next(request, context)
    }
}

/// The admin REST's one mapper: whatever a use case refuses, in Keycloak's admin shapes — `{"error"}` for missing
/// objects and refused access, `{"errorMessage"}` for conflicts and bad input.
struct AdminErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AdministrationError {
            throw AdminError(error)
        } catch let error as PasswordPolicyViolation {
            throw PasswordPolicyError(violation: error.violation)
        } catch let error as any UseCaseError {
            throw AdminError(error)
        }
    }
}

extension AdminError {
    /// Every other use-case refusal (invalid input, a key or session rule, the warehouse), in Keycloak's shapes by its
    /// kind: nothing reaches an admin client in FastAPI's `{"detail"}`.
    init(_ error: any UseCaseError) {
        switch error.kind {
        case .notFound: self = .notFound(error.message)
        case .conflict: self = .conflict(error.message)
        case .forbidden: self = .forbidden
        case .invalid, .refused: self = .badRequest(error.message)
        case .unavailable: self = AdminError(status: .serviceUnavailable, message: error.message, key: "error")
        }
    }

    /// Keycloak's own words for each refusal, so its clients see what they expect.
    init(_ error: AdministrationError) {
        switch error {
        case .notFound(.realm): self = .notFound("Realm not found.")
        case .notFound(.client): self = .notFound("Could not find client")
        case .notFound(.user): self = .notFound("User not found")
        case .notFound(.role): self = .notFound("Could not find role")
        case .notFound(.compositeRole): self = .notFound("Could not find composite role")
        case .notFound(.roleById): self = .notFound("Could not find role with id")
        case .notFound(.clientScope): self = .notFound("Could not find client scope")
        case .notFound(.clientScopeById): self = .notFound("Client scope not found")
        case .notFound(.mapper): self = .notFound("Model not found")
        case .notFound(.mapperType): self = .notFound("ProtocolMapper provider not found")
        case .notFound(.resource): self = .notFound("Not found")
        case .exists(.clientScope, let name): self = .conflict("Client Scope \(name) already exists")
        case .exists(.mapper, _): self = .conflict("Protocol mapper exists with same name")
        case .exists(.resource, let name): self = .conflict("\(name) already exists")
        case .notFound(.credential): self = .notFound("Credential not found")
        case .notFound(.group): self = .notFound("Could not find group by id")
        case .notFound(.session): self = .notFound("Session not found")
        case .notFound(.clientByClientId): self = .notFound("Client not found")
        case .notFound(.consent): self = .notFound("Consent nor offline token not found")
        case .notFound(.requiredAction): self = .notFound("Failed to find required action")
        case .notFound(.email): self = .notFound("User not found")
        case .notFound(.resourceServer): self = .notFound("HTTP 404 Not Found")
        case .notFound(.authzResource), .notFound(.authzScope), .notFound(.authzPolicy): self = .emptyNotFound
        case .exists(.authzResource, let name):
            self = AdminError(status: .conflict, message: "invalid_request", key: "error", description: "Resource with name [\(name)] already exists.")
        case .exists(.authzScope, let name):
            self = AdminError(status: .conflict, message: "invalid_request", key: "error", description: "Scope with name [\(name)] already exists.")
        case .exists(.authzPolicy, let name): self = AdminError(status: .conflict, message: "Policy with name [\(name)] already exists", key: "error")
        case .exists(.realm, _): self = .conflict("Conflict detected. See logs for details")
        case .exists(.client, let name): self = .conflict("Client \(name) already exists")
        case .exists(.user, _): self = .conflict("User exists with same username")
        case .exists(.email, _): self = .conflict("User exists with same email")
        case .exists(.role, let name): self = .conflict("Role with name \(name) already exists")
        case .exists(.credential, _): self = .conflict("Credential exists")
        case .exists(.group, let name): self = .conflict("Sibling group named '\(name)' already exists.")
        case .exists(.session, _), .exists(.compositeRole, _), .exists(.roleById, _), .exists(.clientScopeById, _), .exists(.mapperType, _), .exists(.clientByClientId, _), .exists(.consent, _), .exists(.requiredAction, _), .exists(.resourceServer, _):
            self = .conflict("Conflict detected. See logs for details")
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
