import Hummingbird

/// 401s of the API, with the `WWW-Authenticate` challenge each credential scheme expects (RFC 6750 §3).
public enum AuthenticationError: HTTPResponseError, Equatable {
    /// No credential at all.
    case notAuthenticated
    /// A bearer token that is present but not acceptable; the reason goes to the log only.
    case invalidToken
    /// A PSK that is present but not acceptable.
    case invalidPSK

    public var status: HTTPResponse.Status { .unauthorized }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        switch self {
        case .notAuthenticated:
            headers[.wwwAuthenticate] = "Bearer"
            return JSONBody.response(status: status, headers: headers, ["detail": "Not authenticated"])
        case .invalidToken:
            headers[.wwwAuthenticate] = #"Bearer error="invalid_token""#
            return JSONBody.response(status: status, headers: headers, ["detail": "Invalid token"])
        case .invalidPSK:
            headers[.wwwAuthenticate] = "APIKey"
            return JSONBody.response(status: status, headers: headers, ["detail": "Invalid PSK"])
        }
    }
}
