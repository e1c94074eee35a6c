import Domain
import HTTPKit
import Hummingbird
import Identity
import Secrets
import UseCases

/// `/portal/{realm}/…`: the signed-in pages. Without a live session every page sends the browser to the login flow;
/// every form that changes something must carry the session's CSRF token. Pages call use cases with the signed-in
/// person as the actor (`portalSession`), and show what a use case refuses as a page.
public struct PortalController: Sendable {
    let realms: RealmDirectory
    let pages: PortalPages
    let sessions: PortalSessions
    let login: LoginFlow
    let settings: SettingsPages
    let admin: AdminPages
    let queries: QueryPages
    let embed: EmbedPage
    let dataProducts: DataProductPages

    /// What the portal's pages are built from: the use cases they call and the parts of the server they share, all made
    /// by the composition root.
    public struct Dependencies: Sendable {
        public var realms: RealmDirectory
        public var secrets: SecretBox
        public var clock: EpochClock
        public var catalog: DomainCatalog
        public var queries: Queries
        public var createQuery: CreateQuery
        public var products: DataProducts
        public var createProduct: CreateDataProduct
        public var deleteProduct: DeleteDataProduct
        public var keys: KeyUseCases
        public var administration: RealmAdministration
        public var sessions: SessionUseCases
        public var browserSessions: BrowserSessions
        public var ensurePortalClient: EnsurePortalClient
        public var consumeOnce: ConsumeOnce
        public var publicURL: String
        public var usesTLS: Bool
        /// Bearer-token verification, external issuers included (a federated realm's portal signs in through its issuer).
        public var verifier: AccessTokenVerifier
        /// What pages hold until their clients have read them, shared with the data API.
        public var pageBudget: PageBudget

        public init(
            realms: RealmDirectory, secrets: SecretBox, clock: EpochClock, catalog: DomainCatalog, queries: Queries, createQuery: CreateQuery,
            products: DataProducts, createProduct: CreateDataProduct, deleteProduct: DeleteDataProduct, keys: KeyUseCases,
            administration: RealmAdministration, sessions: SessionUseCases, browserSessions: BrowserSessions, ensurePortalClient: EnsurePortalClient,
            consumeOnce: ConsumeOnce, publicURL: String, usesTLS: Bool, verifier: AccessTokenVerifier, pageBudget: PageBudget
        ) {
            self.realms = realms
            self.secrets = secrets
            self.clock = clock
            self.catalog = catalog
            self.queries = queries
            self.createQuery = createQuery
            self.products = products
            self.createProduct = createProduct
            self.deleteProduct = deleteProduct
            self.keys = keys
            self.administration = administration
            self.sessions = sessions
            self.browserSessions = browserSessions
            self.ensurePortalClient = ensurePortalClient
            self.consumeOnce = consumeOnce
            self.publicURL = publicURL
            self.usesTLS = usesTLS
            self.verifier = verifier
            self.pageBudget = pageBudget
        }
    }

    public static func build(_ use: Dependencies) async throws -> PortalController {
        let pages = try await PortalPages.load(budget: use.pageBudget)
        let sessions = PortalSessions(records: use.browserSessions, secureCookies: use.usesTLS)
        let (keys, admin) = (use.keys, use.administration)
        let queryPages = QueryPages(
            queries: use.queries, create: use.createQuery, delete: DeleteQuery(queries: use.queries), catalog: use.catalog, pages: pages)
        return PortalController(
            realms: use.realms, pages: pages, sessions: sessions,
            login: LoginFlow(
                realms: use.realms, ensureClient: use.ensurePortalClient, redeem: use.sessions.redeemCode, consumeOnce: use.consumeOnce,
                sessions: sessions, secrets: use.secrets, publicURL: use.publicURL, external: use.verifier.external, verifier: use.verifier,
                openSession: use.sessions.open, liveSessions: use.sessions.live, clock: use.clock),
            settings: SettingsPages(
                keys: keys.keys, create: keys.createPersonal, regenerate: keys.regeneratePersonal, delete: keys.deletePersonal, groups: admin.groups,
                sessions: use.sessions.own, offlineTokens: admin.offlineConsents,
                authenticators: AuthenticatorPages(twoFactor: admin.twoFactor, secrets: use.secrets, clock: use.clock, pages: pages), pages: pages),
            admin: AdminPages(
                users: admin.users, createUser: admin.createUser, updateUser: admin.updateUser, changeRoles: admin.changeRoleMappings,
                clients: admin.clients, rotateSecret: admin.rotateClientSecret, keys: keys.keys, revokeKey: keys.revoke,
                groups: GroupPages(
                    groups: admin.groups, change: admin.changeGroups, roleMappings: admin.roleMappings, pages: pages),
                pages: pages),
            queries: queryPages,
            embed: EmbedPage(queries: use.queries, queryPages: queryPages, pages: pages),
            dataProducts: DataProductPages(
                products: use.products, create: use.createProduct, delete: use.deleteProduct, queries: use.queries, keys: keys.keys,
                createKey: keys.createForProduct, extendKey: keys.extendForProduct, deleteKey: keys.deleteForProduct, pages: pages,
                publicURL: use.publicURL))
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        let (stylesheet, script) = (pages.stylesheet, pages.script)
        router.get("resources/portal.css") { _, _ in Self.asset(stylesheet, type: "text/css; charset=utf-8") }
        router.get("resources/portal.js") { _, _ in Self.asset(script, type: "text/javascript; charset=utf-8") }
        let portal = router.group("portal/:realm")
        portal.get("login") { _, context in try await login.start(realm: try await realm(context)) }
        portal.get("callback") { request, context in try await login.callback(request, realm: try await realm(context)) }
        portal.get("", use: signedIn { _, _, user, realm in pages.render("home", user: user, realm: realm) })
        portal.post("logout", use: changing { _, _, user, realm in
            try await sessions.close(user)
            return PortalPages.redirect("/portal/\(realm)/")
        })
        // Settings is the user's own account: seeing it takes `account`'s `view-profile`, changing it `manage-account`.
        settings.addRoutes(
            to: portal, signedIn: { handler in signedIn(Self.requiring(.view, handler)) }, changing: { handler in changing(Self.requiring(.manage, handler)) })
        admin.addRoutes(to: portal, signedIn: signedIn, changing: changing)
        admin.addKeyRoutes(to: portal, signedIn: signedIn, changing: changing)
        admin.groups.addRoutes(to: portal, signedIn: signedIn, changing: changing, roleForm: admin.changeNexusOneRole)
        queries.addRoutes(to: portal, signedIn: signedIn, changing: changing)
        dataProducts.addRoutes(to: portal, signedIn: signedIn, changing: changing)
        embed.addRoutes(to: router)
    }

    typealias Handler = @Sendable (Request, AppRequestContext, PortalUser, String) async throws -> Response

    /// Runs `handler` for a signed-in user of the path's realm; anyone else goes to the login flow. What a use case
    /// refuses becomes a page saying so.
    func signedIn(_ handler: @escaping Handler) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { [pages] request, context in
            let realm = try await realm(context)
            guard let user = try await sessions.user(request, realm: realm) else { return PortalPages.redirect("/portal/\(realm)/login") }
            do {
                return try await handler(request, context, user, realm)
            } catch let error as any UseCaseError {
                return pages.failure(error)
            }
        }
    }

    /// `signedIn`, for forms that change something: a missing or wrong CSRF token is 403.
    func changing(_ handler: @escaping @Sendable (PortalForm, AppRequestContext, PortalUser, String) async throws -> Response)
        -> @Sendable (Request, AppRequestContext) async throws -> Response
    {
        signedIn { request, context, user, realm in
            let form = try await PortalForm.read(request)
            guard let token = form["csrf"], ConstantTime.equals(token, user.csrf) else {
                return pages.message(title: "Form expired", text: "Reload the page and try again.", status: .forbidden)
            }
            return try await handler(form, context, user, realm)
        }
    }

    /// `handler`, for a user who may see (`view`) or change (`manage`) their own account.
    static func requiring<Input: Sendable>(
        _ need: AccountError, _ handler: @escaping @Sendable (Input, AppRequestContext, PortalUser, String) async throws -> Response
    ) -> @Sendable (Input, AppRequestContext, PortalUser, String) async throws -> Response {
        { input, context, user, realm in
            try AccountError.require(user.principal, need)
            return try await handler(input, context, user, realm)
        }
    }

    /// The path's realm, if it is an enabled customer realm (the master realm has no portal), from the realm directory.
    func realm(_ context: AppRequestContext) async throws -> String {
        let name = try context.parameters.require("realm")
        guard name != Realm.master, Names.isValidRealm(name), let entry = try await realms.entry(name), entry.realm.enabled else {
            throw HTTPError(.notFound)
        }
        return name
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
