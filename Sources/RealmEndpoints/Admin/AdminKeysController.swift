import Domain
import HTTPKit
import Hummingbird
import Identity
import Tokens
import UseCases

/// `GET /admin/realms/{realm}/keys`: the realm's published signing keys in Keycloak's `KeysMetadataRepresentation`.
/// The refresh-token HMAC key is not listed: nothing outside the server ever needs it.
struct AdminKeysController: Sendable {
    let realms: Realms
    let directory: RealmDirectory

    struct KeyMetadata: Encodable {
        let providerId: String
        let providerPriority = 100
        let kid: String
        let status: String
        let type: String
        let algorithm: String
        let publicKey: String?
        let use = "SIG"
    }

    struct KeysMetadata: Encodable {
        let active: [String: String]
        let keys: [KeyMetadata]
    }

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get("", use: list)
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await realms.administered(by: context.principal, name: try context.parameters.require("realm"))
        guard let keys = try await directory.entry(realm.name)?.keys else { throw AdminError.notFound("Realm not found.") }
        let listed = keys.jwks.keys.map { jwk in
            KeyMetadata(
                providerId: "\(jwk.alg.lowercased())-generated", kid: jwk.kid, status: jwk.kid == keys.activeKid ? "ACTIVE" : "PASSIVE",
                type: jwk.kty, algorithm: jwk.alg, publicKey: keys.publicKeys[jwk.kid])
        }
        return JSONBody.response(KeysMetadata(active: [keys.activeAlgorithm.rawValue: keys.activeKid], keys: listed))
    }
}
