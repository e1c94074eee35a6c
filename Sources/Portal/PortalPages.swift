import Domain
import Foundation
import HTTPKit
import HTTPTypes
import Hummingbird
import Identity
import Mustache
import UseCases

/// The portal's HTML: mustache templates (escaping every value), one stylesheet and one small script from this
/// server, and headers that allow nothing else (portal.md "Behaviour").
struct PortalPages: Sendable {
    private let library: MustacheLibrary
    let stylesheet: String
    let script: String
    /// Shared with the data API's pages: what pages hold until their clients have read them.
    let budget: PageBudget

    static func load(budget: PageBudget) async throws -> PortalPages {
        let root = Bundle.module.bundleURL.appendingPathComponent("Resources").path
        return PortalPages(
            library: try await MustacheLibrary(directory: root + "/templates"),
            stylesheet: try String(contentsOfFile: root + "/portal.css", encoding: .utf8),
            script: try String(contentsOfFile: root + "/portal.js", encoding: .utf8), budget: budget)
    }

    /// A page for a signed-in user: the layout's header (navigation, initials badge and its menu) around `template`.
    func render(_ template: String, user: PortalUser, realm: String, _ values: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        var context = values
        context["title"] = Self.titles[template] ?? "NexusOne"
        context["realm"] = realm
        context["initials"] = user.initials
        context["name"] = user.displayName
        context["csrf"] = user.csrf
        // The admin pages a person's rights open (the use cases refuse the rest anyway): a help desk sees users and groups.
        let principal = user.principal
        let may = { (right: AdminRight) in (try? Administration.authorize(principal, realm: realm, right)) != nil }
        let sections = [
            ("users", may(.viewUsers)), ("groups", may(.queryGroups)), ("clients", may(.viewClients)), ("keys", may(.manageUsers)),
            ("audit", may(.manageUsers)),
        ]
        for (section, allowed) in sections { context["admin-\(section)"] = allowed }
        context["admin"] = sections.first { $0.1 }.map { "/portal/\(realm)/admin/\($0.0)" } ?? false
        return html(library.render(context, withTemplate: template) ?? "", status: status, showsSecretOnce: Self.showingSecretOnce.contains(template))
    }

    /// Pages that show a secret a committed change just made (a key, a one-time password, a client secret): they go out
    /// even when the page budget is full, or the secret would be lost with the 503.
    static let showingSecretOnce: Set = ["psk-shown", "key-shown", "user-created", "secret-shown"]

    static let titles = [
        "home": "Home", "settings": "Settings", "psk-new": "New Personal PSK", "psk-shown": "Your Personal PSK", "psk-confirm": "Personal PSK",
        "admin-users": "Users", "user-created": "User created", "admin-user": "User", "queries": "Queries", "query-new": "New query",
        "card": "Card", "dataproducts": "Data products", "dataproduct-new": "New data product", "key-shown": "Your key", "dataproduct": "Data product",
        "admin-clients": "Clients", "secret-shown": "Client secret", "admin-keys": "Keys", "admin-audit": "Audit log", "admin-groups": "Groups",
        "admin-group": "Group", "authenticator-new": "Set up an authenticator",
    ]

    /// A page without the signed-in layout (the embed page).
    func standalone(_ template: String, _ values: [String: Any]) -> Response {
        html(library.render(values, withTemplate: template) ?? "", status: .ok)
    }

    /// A page without a signed-in user (errors).
    func message(title: String, text: String, status: HTTPResponse.Status) -> Response {
        html(library.render(["title": title, "text": text], withTemplate: "message") ?? "", status: status)
    }

    /// What a use case refused, said on a page with the status an API would give.
    func failure(_ error: any UseCaseError, title: String = "Not possible") -> Response {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .notFound: .notFound
            case .conflict: .conflict
            case .forbidden: .forbidden
            case .invalid, .refused: .unprocessableContent
            case .unavailable: .serviceUnavailable
            }
        return message(title: title, text: error.message, status: status)
    }

    /// The page, holding its size of `budget` until its client has it (or is gone); a page that does not fit is a
    /// short 503, unless it shows a secret once.
    func html(_ body: String, status: HTTPResponse.Status, showsSecretOnce: Bool = false) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        // Pages may show a key once; none of them is worth caching.
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = PagePolicy.portal.description
        headers[.xFrameOptions] = "DENY"
        headers[.referrerPolicy] = "no-referrer"
        let page = ByteBuffer(string: body)
        guard let reservation = showsSecretOnce ? budget.reserveAlways(page.readableBytes) : try? budget.reserve(page.readableBytes) else {
            headers[.retryAfter] = "5"
            return Response(status: .serviceUnavailable, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Self.busy)))
        }
        return Response(
            status: status, headers: headers,
            body: ResponseBody(contentLength: page.readableBytes) { writer in
                defer { withExtendedLifetime(reservation) {} }
                try await writer.write(page)
                try await writer.finish(nil)
            })
    }

    static let busy = "<!doctype html><title>Busy</title><p>Too many large pages are being sent. Try again in a few seconds.</p>"

    static func redirect(_ location: String) -> Response { Response(status: .seeOther, headers: [.location: location]) }
}
