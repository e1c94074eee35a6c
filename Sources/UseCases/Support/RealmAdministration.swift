import Domain
import Secrets
import Storage

/// Every use case of administering realms, users, clients and roles, made once by the composition root for the front
/// ends that administer (the Keycloak admin REST), so those never hold a store.
public struct RealmAdministration: Sendable {
    public let realms: Realms
    public let users: Users
    public let roles: Roles
    public let clients: Clients
    public let createRealm: CreateRealm
    public let updateRealm: UpdateRealm
    public let deleteRealm: DeleteRealm
    public let createClient: CreateClient
    public let updateClient: UpdateClient
    public let deleteClient: DeleteClient
    public let rotateClientSecret: RotateClientSecret
    public let createUser: CreateUser
    public let updateUser: UpdateUser
    public let deleteUser: DeleteUser
    public let resetPassword: ResetPassword
    public let signOutUser: SignOutUser
    public let passwordCredentials: PasswordCredentials
    public let createRole: CreateRole
    public let updateRole: UpdateRole
    public let deleteRole: DeleteRole
    public let changeComposites: ChangeComposites
    public let changeRoleMappings: ChangeRoleMappings
    public let roleMappings: RoleMappings
    public let groups: Groups
    public let changeGroups: ChangeGroups
    public let sessions: AdministerSessions
    public let offlineConsents: OfflineConsents
    public let signInFailures: SignInFailures
    /// Also what the realm's protocol endpoints record events with.
    public let loginEvents: LoginEvents
    public let twoFactor: TwoFactor
    public let documents: RealmDocuments
    public let clearCaches: ClearCaches
    public let clientScopes: ClientScopes
    public let protocolMappers: ProtocolMappers
    public let scopeMappings: ScopeMappings
    public let importRealm: ImportRealm
    public let exportRealm: ExportRealm
    public let partialImport: PartialImport
    public let resourceServers: ResourceServers
    public let groupPermissions: GroupPermissions
    /// The policy decision behind the `uma-ticket` grant.
    public let evaluatePermissions: EvaluatePermissions

    public init(changes: ChangeLog, secrets: SecretBox, passwords: PasswordHasher, clock: EpochClock) {
        let database = changes.database
        realms = Realms(database: database)
        users = Users(database: database)
        roles = Roles(database: database)
        clients = Clients(database: database, secrets: secrets)
        createRealm = CreateRealm(changes: changes, provisioner: RealmProvisioner(secrets: secrets, clock: clock))
        updateRealm = UpdateRealm(changes: changes)
        deleteRealm = DeleteRealm(changes: changes)
        createClient = CreateClient(changes: changes, secrets: secrets, clock: clock)
        updateClient = UpdateClient(changes: changes, clock: clock)
        deleteClient = DeleteClient(changes: changes)
        rotateClientSecret = RotateClientSecret(changes: changes, secrets: secrets)
        createUser = CreateUser(changes: changes, passwords: passwords, clock: clock)
        updateUser = UpdateUser(changes: changes, clock: clock)
        deleteUser = DeleteUser(changes: changes, clock: clock)
        resetPassword = ResetPassword(changes: changes, passwords: passwords, clock: clock)
        signOutUser = SignOutUser(changes: changes, clock: clock)
        passwordCredentials = PasswordCredentials(changes: changes)
        createRole = CreateRole(changes: changes)
        updateRole = UpdateRole(changes: changes)
        deleteRole = DeleteRole(changes: changes)
        changeComposites = ChangeComposites(changes: changes)
        changeRoleMappings = ChangeRoleMappings(changes: changes)
        roleMappings = RoleMappings(database: database)
        groups = Groups(database: database)
        changeGroups = ChangeGroups(changes: changes)
        sessions = AdministerSessions(changes: changes, clock: clock)
        offlineConsents = OfflineConsents(changes: changes, clock: clock)
        signInFailures = SignInFailures(changes: changes, clock: clock)
        loginEvents = LoginEvents(changes: changes, clock: clock)
        twoFactor = TwoFactor(changes: changes, secrets: secrets, clock: clock)
        documents = RealmDocuments(changes: changes)
        clearCaches = ClearCaches(changes: changes)
        clientScopes = ClientScopes(changes: changes)
        protocolMappers = ProtocolMappers(changes: changes)
        scopeMappings = ScopeMappings(changes: changes)
        importRealm = ImportRealm(changes: changes, provisioner: RealmProvisioner(secrets: secrets, clock: clock), secrets: secrets, clock: clock)
        exportRealm = ExportRealm(changes: changes, secrets: secrets)
        partialImport = PartialImport(changes: changes, secrets: secrets, clock: clock)
        resourceServers = ResourceServers(changes: changes)
        groupPermissions = GroupPermissions(changes: changes)
        evaluatePermissions = EvaluatePermissions(database: database, clock: clock)
    }
}
