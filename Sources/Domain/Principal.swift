/// Who is acting, and through what: the result of authentication on every front end, and the actor every use case
/// decides authorization from. The portal and the CLI say truthfully what they are (`portalSession`, `operatorCLI`)
/// instead of pretending to be a bearer token.
public struct Principal: Sendable, Equatable {
    public enum Credential: String, Sendable, Codable, CaseIterable {
        /// An OAuth 2.0 access token of the realm.
        case bearer
        /// A user's Personal PSK (`nx1p_…`).
        case personalKey = "personal_key"
        /// A deployment's service-account PSK (`nx1s_…`).
        case serviceKey = "service_key"
        /// A data-product PSK (`nx1d_…`): reads one product's rows, nothing else.
        case dataProductKey = "data_product_key"
        /// A signed-in portal session (the browser of a user who signed in through the realm).
        case portalSession = "portal_session"
        /// An operator at the command line, with access to the server's storage.
        case operatorCLI = "operator_cli"

        /// Any pre-shared key.
        public var isKey: Bool { self == .personalKey || self == .serviceKey || self == .dataProductKey }

        /// The `auth` that `/api/user/me` reports: `bearer` or `psk`, as NexusOne does.
        public var scheme: String { isKey ? "psk" : rawValue }
    }

    /// The user's UUID (`sub`); `cli` for the operator.
    public var subject: String
    public var username: String
    public var realm: String
    /// Effective realm roles, composites expanded.
    public var roles: Set<String>
    /// The client the token was issued to (`azp`).
    public var clientId: String?
    public var sessionId: String?
    public var credential: Credential
    /// Set for a data-product key: the one product whose rows it may read. Such a principal holds no roles.
    public var dataProductId: String?
    /// The PSK that authenticated, for key credentials: what a key made through it records as its origin.
    public var keyId: String?
    /// What the principal may do in administering its realm: the `realm-management` roles it holds, composites
    /// expanded. A key never carries any.
    public var adminRights: Set<AdminRight>
    /// The roles of the client `account` it holds (composites expanded), which govern managing one's own account.
    public var accountRoles: Set<String>

    public init(
        subject: String, username: String, realm: String, roles: Set<String>, clientId: String? = nil, sessionId: String? = nil,
        credential: Credential, dataProductId: String? = nil, keyId: String? = nil, adminRights: Set<AdminRight> = [],
        accountRoles: Set<String> = []
    ) {
        self.subject = subject
        self.username = username
        self.realm = realm
        self.roles = roles
        self.clientId = clientId
        self.sessionId = sessionId
        self.credential = credential
        self.dataProductId = dataProductId
        self.keyId = keyId
        self.adminRights = credential.isKey ? [] : adminRights
        self.accountRoles = accountRoles
    }

    /// The operator at the command line, acting on `realm` with every right.
    public static func operatorCLI(realm: String) -> Principal {
        Principal(subject: "cli", username: "cli", realm: realm, roles: Set(NexusOneRoles.all), credential: .operatorCLI,
            adminRights: Set(AdminRight.allCases))
    }

    public func has(role: String) -> Bool { roles.contains(role) }

    /// Whether the principal holds `right` in its realm (directly, through `realm-admin`, or by managing what it views).
    public func may(_ right: AdminRight) -> Bool { right.isAllowed(by: adminRights) }

    /// Whether it may change its own account (Personal PSK, sessions, authenticator): `account`'s `manage-account`,
    /// which every user holds through the realm's default roles unless an administrator took it away.
    public var managesOwnAccount: Bool { credential == .operatorCLI || accountRoles.contains(KeycloakRealmLayout.manageAccount) }

    /// Whether it may see its own account (Settings): `view-profile`, or `manage-account`.
    public var viewsOwnAccount: Bool { managesOwnAccount || accountRoles.contains(KeycloakRealmLayout.viewProfile) }
}
