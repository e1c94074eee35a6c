/// What every realm holds from its creation, as Keycloak lays a realm out: three realm roles, six clients, and the
/// client roles that mean something (`realm-management`'s administration rights, `account`'s self-service rights).
/// Tools find these by name — a script that gives a service account `realm-management`/`manage-users` looks the client
/// up first — so the names and composites are Keycloak's own. NexusOne's roles are not here: `deploy` adds them on top
/// (`NexusOneRoles`), as the NexusOne deployment script does to a Keycloak realm.
public enum KeycloakRealmLayout {
    /// A client every realm has. None of them holds a secret: a confidential one cannot sign in until an administrator
    /// gives it one, as Keycloak's bearer-only `realm-management` and `broker` cannot.
    public struct BuiltInClient: Sendable {
        public let clientId: String
        public let isPublic: Bool
        public let standardFlowEnabled: Bool
        public let directAccessGrantsEnabled: Bool
        /// Keycloak's relative redirect URIs, kept as it shows them; relative URIs never match a redirect here.
        public let redirectPath: String?
        /// The client's roles and, for composites, the roles of the same client they contain.
        public let roles: [(name: String, parts: [String])]

        /// `${client_account}`: the message key Keycloak's console translates, which tools compare against.
        public var displayName: String { "${client_\(clientId)}" }
    }

    public static let realmManagement = "realm-management"
    public static let account = "account"
    public static let offlineAccess = "offline_access"
    public static let umaAuthorization = "uma_authorization"
    /// The realm roles every realm has besides `default-roles-{realm}`.
    public static let realmRoles = [offlineAccess, umaAuthorization]
    public static let manageAccount = "manage-account"
    public static let viewProfile = "view-profile"
    /// The roles of `account` that `default-roles-{realm}` contains, so every user may see and manage their own account.
    public static let defaultAccountRoles = [viewProfile, manageAccount]

    public static let clients: [BuiltInClient] = [
        BuiltInClient(
            clientId: account, isPublic: true, standardFlowEnabled: true, directAccessGrantsEnabled: false, redirectPath: "/realms/{realm}/account/*",
            roles: [
                ("delete-account", []), ("manage-account", ["manage-account-links"]), ("manage-account-links", []), ("manage-consent", ["view-consent"]),
                ("view-applications", []), ("view-consent", []), ("view-groups", []), ("view-profile", []),
            ]),
        BuiltInClient(
            clientId: "account-console", isPublic: true, standardFlowEnabled: true, directAccessGrantsEnabled: false,
            redirectPath: "/realms/{realm}/account/*", roles: []),
        BuiltInClient(
            clientId: Client.adminCLI, isPublic: true, standardFlowEnabled: false, directAccessGrantsEnabled: true, redirectPath: nil, roles: []),
        BuiltInClient(
            clientId: "broker", isPublic: false, standardFlowEnabled: false, directAccessGrantsEnabled: false, redirectPath: nil,
            roles: [("read-token", [])]),
        BuiltInClient(
            clientId: realmManagement, isPublic: false, standardFlowEnabled: false, directAccessGrantsEnabled: false, redirectPath: nil,
            roles: AdminRight.allCases.map { ($0.rawValue, $0.parts.map(\.rawValue)) }),
        BuiltInClient(
            clientId: "security-admin-console", isPublic: true, standardFlowEnabled: true, directAccessGrantsEnabled: false,
            redirectPath: "/admin/{realm}/console/*", roles: []),
    ]

    public static let clientIds: Set<String> = Set(clients.map(\.clientId))
}

/// A role of `realm-management`: one right in administering a realm. Keycloak's names and composites, so a tool's
/// grant means here what it means there: `realm-admin` holds every right, `view-users` the two queries.
public enum AdminRight: String, CaseIterable, Sendable {
    case realmAdmin = "realm-admin"
    case createClient = "create-client"
    case impersonation
    case manageAuthorization = "manage-authorization"
    case manageClients = "manage-clients"
    case manageEvents = "manage-events"
    case manageIdentityProviders = "manage-identity-providers"
    case manageRealm = "manage-realm"
    case manageUsers = "manage-users"
    case queryClients = "query-clients"
    case queryGroups = "query-groups"
    case queryRealms = "query-realms"
    case queryUsers = "query-users"
    case viewAuthorization = "view-authorization"
    case viewClients = "view-clients"
    case viewEvents = "view-events"
    case viewIdentityProviders = "view-identity-providers"
    case viewRealm = "view-realm"
    case viewUsers = "view-users"

    /// The rights this role contains, as Keycloak composes them.
    public var parts: [AdminRight] {
        switch self {
        case .realmAdmin: AdminRight.allCases.filter { $0 != .realmAdmin }
        case .viewUsers: [.queryUsers, .queryGroups]
        case .viewClients: [.queryClients]
        default: []
        }
    }
}

extension AdminRight {
    /// The rights a set of `realm-management` role names grants, composites expanded (a token carries them expanded;
    /// a federated issuer's token may not).
    public static func rights(fromRoles names: some Sequence<String>) -> Set<AdminRight> {
        var rights: Set<AdminRight> = []
        for name in names {
            guard let right = AdminRight(rawValue: name) else { continue }
            rights.insert(right)
            rights.formUnion(right.parts)
        }
        return rights
    }

    /// Whether holding `rights` allows what this right stands for. As in Keycloak, managing includes viewing and
    /// viewing includes querying: `manage-users` may read users, `view-users` may search them.
    public func isAllowed(by rights: Set<AdminRight>) -> Bool {
        if rights.contains(self) || rights.contains(.realmAdmin) { return true }
        return impliedBy.contains { rights.contains($0) }
    }

    /// The rights that include this one without being its composite.
    private var impliedBy: [AdminRight] {
        switch self {
        case .viewUsers, .queryUsers, .queryGroups: [.manageUsers, .viewUsers]
        case .viewClients, .queryClients: [.manageClients, .viewClients]
        case .viewRealm, .queryRealms: [.manageRealm, .viewRealm]
        case .viewEvents: [.manageEvents]
        case .viewIdentityProviders: [.manageIdentityProviders]
        case .viewAuthorization: [.manageAuthorization]
        case .createClient: [.manageClients]
        default: []
        }
    }
}
