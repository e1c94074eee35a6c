import Domain
import Hummingbird
import Logging

/// `Authorization: Bearer …` → a `Principal`. No bearer header: passes. A bad token: 401 "Invalid token" (the log
/// says why, the response does not).
public struct BearerTokenAuthenticator: RouterMiddleware {
    public typealias Context = AppRequestContext
    let verifier: AccessTokenVerifier
    let telemetry: Telemetry

    public init(verifier: AccessTokenVerifier, telemetry: Telemetry) {
        self.verifier = verifier
        self.telemetry = telemetry
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Self.bearerToken(request.headers[.authorization]) else { return try await next(request, context) }
        var context = context
        do {
            context.identity = try await verifier.authenticate(token)
            telemetry.bearer(accepted: true)
        } catch {
            telemetry.bearer(accepted: false)
            context.logger.info("bearer token refused", metadata: ["reason": "\(error)"])
            throw AuthenticationError.invalidToken
        }
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or nil for any other header.
    /// Works on UTF-8 bytes: this runs on every request.
    public static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let bytes = header.utf8
        guard bytes.count > 7, bytes.prefix(6).map({ $0 | 0x20 }).elementsEqual("bearer".utf8), bytes.dropFirst(6).first == UInt8(ascii: " ")
        else { return nil }
        let token = bytes.dropFirst(7).drop { $0 == UInt8(ascii: " ") }
        var end = token.endIndex
        while end > token.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: " ") { end = bytes.index(before: end) }
        return token.startIndex == end ? nil : String(Substring(header.utf8[token.startIndex..<end]))
    }
}
