import Hummingbird

/// The API's credential check: a bearer token, then a PSK (both may be sent when they name the same user). One
/// middleware rather than two, because every layer is an async call and a context copy on each of the API's requests.
public struct CredentialAuthenticator: RouterMiddleware {
    public typealias Context = AppRequestContext
    let bearer: BearerTokenAuthenticator
    let psk: PSKAuthenticator

    public init(bearer: BearerTokenAuthenticator, psk: PSKAuthenticator) {
        self.bearer = bearer
        self.psk = psk
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        try await bearer.identify(request, context: &context)
        try await psk.identify(request, context: &context)
        return try await next(request, context)
    }
}
