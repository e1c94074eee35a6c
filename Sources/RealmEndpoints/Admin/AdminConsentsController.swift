import Domain
import HTTPKit
import Hummingbird
import UseCases

/// `/admin/realms/{realm}/users/{id}/consents[/{clientId}]`: a user's offline tokens per client, as Keycloak lists
/// them among consents (an "Offline Token" grant), and revoking them.
struct AdminConsentsController: Sendable {
    let consents: OfflineConsents

    func addRoutes(to user: RouterGroup<AdminContext>) {
        user.get("consents", use: list)
        user.delete("consents/:client", use: revoke)
    }

    /// Keycloak's `UserConsentRepresentation`, times in milliseconds.
    struct ConsentRepresentation: Encodable {
        let clientId: String
        let grantedClientScopes: [String] = []
        let createdDate: Int
        let lastUpdatedDate: Int
        let additionalGrants: [Grant]

        struct Grant: Encodable {
            let client: String
            let key = "Offline Token"
        }
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let listed = try await consents.of(context.principal, realm: try context.parameters.require("realm"), userId: try context.parameters.require("user"))
        return JSONBody.response(
            listed.map { consent in
                ConsentRepresentation(
                    clientId: consent.clientId, createdDate: consent.createdAt.keycloakMilliseconds, lastUpdatedDate: consent.lastUpdatedAt.keycloakMilliseconds,
                    additionalGrants: [.init(client: consent.clientId)])
            })
    }

    @Sendable func revoke(_ request: Request, context: AdminContext) async throws -> Response {
        try await consents.revoke(
            context.principal, realm: try context.parameters.require("realm"), userId: try context.parameters.require("user"),
            clientId: try context.parameters.require("client"))
        return Response(status: .noContent)
    }
}
