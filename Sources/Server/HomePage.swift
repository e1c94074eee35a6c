import HTTPKit
import Hummingbird
import Identity

/// `GET /`: the default realm's portal; without a customer realm yet, a plain page that points at the API docs.
struct HomePage: Sendable {
    let defaultRealm: String?

    func addRoutes(to router: Router<AppRequestContext>) {
        let realmLinks = defaultRealm.map(HTMLText.escape).map { realm in
            """
            <li><a href="/realms/\(realm)/.well-known/openid-configuration">Realm \(realm): OpenID Connect discovery</a></li>\
            <li><a href="/realms/\(realm)/protocol/openid-connect/certs">Realm \(realm): signing keys (JWKS)</a></li>
            """
        } ?? ""
        let page = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\
            <title>NexusOne</title><link rel="stylesheet" href="/resources/login.css"></head><body><main class="card">\
            <h1>NexusOne</h1><ul><li><a href="/docs">API documentation</a></li>\(realmLinks)</ul></main></body></html>
            """
        router.get("/") { _, _ in
            if let defaultRealm { return Response(status: .found, headers: [.location: "/portal/\(defaultRealm)/"]) }
            return Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: PagePolicy.home.description],
                body: .init(byteBuffer: ByteBuffer(string: page)))
        }
    }
}
