import Domain
import HTTPKit
import Hummingbird
import Identity
import Tokens

/// Realm info, OpenID Connect discovery and the JWKS: the public, cacheable description of a realm.
struct DiscoveryController: Sendable {
    let services: RealmServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("", use: realmInfo)
        group.get(".well-known/openid-configuration", use: discovery)
        group.get("protocol/openid-connect/certs", use: certs)
    }

    struct RealmInfo: Encodable {
        let realm: String
        let publicKey: String
        let tokenService: String
        let accountService: String
        let tokensNotBefore: Int

        enum CodingKeys: String, CodingKey {
            case realm
            case publicKey = "public_key"
            case tokenService = "token-service"
            case accountService = "account-service"
            case tokensNotBefore = "tokens-not-before"
        }
    }

    @Sendable func realmInfo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let entry = try await services.lookup.enabled(try context.parameters.require("realm"))
        let issuer = services.issuers.issuer(realm: entry.realm.name)
        return JSONBody.response(
            RealmInfo(
                realm: entry.realm.name, publicKey: entry.keys.activePublicKey, tokenService: "\(issuer)/protocol/openid-connect",
                accountService: "\(issuer)/account", tokensNotBefore: entry.realm.notBefore))
    }

    @Sendable func discovery(_ request: Request, context: AppRequestContext) async throws -> Response {
        let entry = try await services.lookup.enabled(try context.parameters.require("realm"))
        return JSONBody.response(OpenIDConfiguration(realm: entry.realm.name, issuers: services.issuers))
    }

    @Sendable func certs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let entry = try await services.lookup.enabled(try context.parameters.require("realm"))
        return JSONBody.response(entry.keys.jwks)
    }
}
