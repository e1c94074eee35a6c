import API
import Authentication
import Domain
import Hummingbird
import Keys
import Realm
import Storage

/// `/portal/{realm}/…`: the signed-in pages. Without a live session every page sends the browser to the login flow;
/// every form that changes something must carry the session's CSRF token.
public struct PortalController: Sendable {
    let database: any Database
    let pages: PortalPages
    let sessions: PortalSessions
    let login: LoginFlow
    let settings: SettingsPages
    let admin: AdminPages
    let queries: QueryPages
    let embed: EmbedPage
    let dataProducts: DataProductPages

    public static func build(
        database: any Database, realm: RealmServices, keys: KeyService, queries: QueryService, catalog: DomainCatalog,
        products: DataProductService, secrets: SecretBox, clock: EpochClock, publicURL: String, usesTLS: Bool
    ) async throws -> PortalController {
        let pages = try await PortalPages.load()
        let sessions = PortalSessions(database: database, realm: realm, clock: clock, secureCookies: usesTLS)
        let queryPages = QueryPages(queries: queries, catalog: catalog, pages: pages)
        return PortalController(
            database: database, pages: pages, sessions: sessions,
            login: LoginFlow(realm: realm, sessions: sessions, secrets: secrets, publicURL: publicURL),
            settings: SettingsPages(keys: keys, pages: pages), admin: AdminPages(realm: realm, keys: keys, pages: pages), queries: queryPages,
            embed: EmbedPage(database: database, queryPages: queryPages, pages: pages, secrets: secrets, clock: clock),
            dataProducts: DataProductPages(products: products, queries: queries, keys: keys, pages: pages, publicURL: publicURL))
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
        settings.addRoutes(to: portal, signedIn: signedIn, changing: changing)
        admin.addRoutes(to: portal, signedIn: signedIn, changing: changing)
        admin.addOtherRoutes(to: portal, signedIn: signedIn, changing: changing)
        queries.addRoutes(to: portal, signedIn: signedIn, changing: changing)
        dataProducts.addRoutes(to: portal, signedIn: signedIn, changing: changing)
        embed.addRoutes(to: router)
    }

    typealias Handler = @Sendable (Request, AppRequestContext, PortalUser, String) async throws -> Response

    /// Runs `handler` for a signed-in user of the path's realm; anyone else goes to the login flow.
    func signedIn(_ handler: @escaping Handler) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { request, context in
            let realm = try await realm(context)
            guard let user = try await sessions.user(request, realm: realm) else { return PortalPages.redirect("/portal/\(realm)/login") }
            return try await handler(request, context, user, realm)
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

    /// The path's realm, if it is an enabled customer realm (the master realm has no portal).
    func realm(_ context: AppRequestContext) async throws -> String {
        let name = try context.parameters.require("realm")
        guard name != Realm.master, Names.isValidIdentifier(name),
            let found = try await database.read({ sql in try await RealmStore(sql).find(name) }), found.enabled
        else { throw HTTPError(.notFound) }
        return name
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
