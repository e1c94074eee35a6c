import Domain
import Foundation
import HTTPKit
import HTTPTypes
import Hummingbird
import Identity
import UseCases

/// `GET /embed/{id}?token=…`: one card, without a session, for as long as its embed token lives (15 minutes). The
/// only portal page that may be framed by other sites — its "link expired" answer too, so a framing site shows why
/// instead of a blocked frame.
struct EmbedPage: Sendable {
    let queries: Queries
    let queryPages: QueryPages
    let pages: PortalPages

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("embed/:id") { request, context in
            let id = try context.parameters.require("id")
            var response: Response
            if let token = request.uri.queryParameters["token"].map(String.init), let query = try await queries.embedded(id, token: token) {
                response = pages.standalone("embed", try await queryPages.card(query, start: 0, embed: false))
            } else {
                response = pages.message(title: "Link expired", text: "This card link is no longer valid; ask for a new one.", status: .forbidden)
            }
            response.headers[.contentSecurityPolicy] = PagePolicy.embed.description
            response.headers[.xFrameOptions] = nil
            return response
        }
    }
}
