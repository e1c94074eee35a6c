import Foundation
import Hummingbird
import Logging
import Tokens

/// `Authorization: Bearer …` → a `Principal`. No bearer header: passes. A bad token: 401 "Invalid token" (the log
/// says why, the response does not).
public struct BearerTokenAuthenticator: RouterMiddleware {
    public typealias Context = AppRequestContext
    let verifier: AccessTokenVerifier

    public init(verifier: AccessTokenVerifier) { self.verifier = verifier }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Self.bearerToken(request.headers[.authorization]) else { return try await next(request, context) }
        let claims: AccessTokenClaims
        do {
            claims = try await verifier.verify(token)
        } catch {
            context.logger.info("bearer token refused", metadata: ["reason": "\(error)"])
            throw AuthenticationError.invalidToken
        }
        var context = context
        context.identity = AccessTokenVerifier.principal(from: claims, realm: verifier.issuers.realm(ofIssuer: claims.iss) ?? "")
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or nil for any other header.
    public static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
