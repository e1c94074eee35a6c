import HTTPKit
import HTTPTypes
import Hummingbird
import Identity

/// Replaces the peer's address by the client's when the peer is a trusted proxy (`--trusted-proxy`), before anything
/// reads it.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let proxies: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !proxies.isEmpty else { return try await next(request, context) }
        var context = context
        context.remoteAddress = proxies.clientAddress(peer: context.remoteAddress, forwardedFor: request.headers[values: Self.forwardedFor])
        return try await next(request, context)
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
