import API
import Authentication
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// `GET /embed/{id}?token=…`: one card, without a session, for as long as its embed token lives (15 minutes). The
/// only portal page that may be framed by other sites.
struct EmbedPage: Sendable {
    let database: any Database
    let queryPages: QueryPages
    let pages: PortalPages
    let secrets: SecretBox
    let clock: EpochClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("embed/:id") { request, context in
            let id = try context.parameters.require("id")
            guard let token = request.uri.queryParameters["token"].map(String.init),
                let claims = EmbedToken.open(token, queryId: id, secrets: secrets, now: clock.now),
                let query = try await database.read({ sql in try await QueryStore(sql).find(realm: claims.realm, id: id) })
            else { return pages.message(title: "Link expired", text: "This card link is no longer valid; ask for a new one.", status: .forbidden) }
            var response = pages.standalone("embed", try await queryPages.card(query, start: 0, embed: false))
            response.headers[.contentSecurityPolicy] = PortalPages.contentSecurityPolicy.replacingOccurrences(
                of: "frame-ancestors 'none'", with: "frame-ancestors *")
            response.headers[HTTPField.Name("X-Frame-Options")!] = nil
            return response
        }
    }
}
