import Federation
import HTTPKit
import Hummingbird
import Identity

/// A federated realm's tokens come from its external issuer only: its local OpenID endpoints (token, login,
/// discovery, keys, …) answer with where to go instead, so a script pointed here learns why at once.
struct FederatedRealmGate: RouterMiddleware {
    typealias Context = AppRequestContext
    let external: ExternalIssuers

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let realm = context.parameters.get("realm"), let issuer = external.issuer(forRealm: realm) else {
            return try await next(request, context)
        }
        throw OAuthError.invalidRequest("Realm \(realm) takes its tokens from \(issuer.issuer.url); ask that issuer")
    }
}
