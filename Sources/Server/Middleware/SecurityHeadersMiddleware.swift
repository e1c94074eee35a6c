import HTTPKit
import HTTPTypes
import Hummingbird
import Identity

/// Headers every response carries; HSTS only when served over TLS.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let usesTLS: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.referrerPolicy] == nil { response.headers[.referrerPolicy] = "no-referrer" }
        // Pages that choose their framers (the portal's embed page) say so with CSP `frame-ancestors`; all others: DENY.
        if response.headers[.xFrameOptions] == nil, response.headers[.contentSecurityPolicy] != PagePolicy.embedHeaderValue {
            response.headers[.xFrameOptions] = "DENY"
        }
        if usesTLS { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
