import Domain
import Hummingbird
import Identity
import Logging

/// `Authorization: Bearer …` → a `Principal`. No bearer header: passes. A bad token: 401 "Invalid token" (the log
/// says why, the response does not).
public struct BearerTokenAuthenticator: Sendable {
    public typealias Context = AppRequestContext
    let verifier: AccessTokenVerifier
    let telemetry: Telemetry

    public init(verifier: AccessTokenVerifier, telemetry: Telemetry) {
        self.verifier = verifier
        self.telemetry = telemetry
    }

    /// Sets `context.identity` when the request carries a bearer token; throws when that token is not valid.
    public func identify(_ request: Request, context: inout Context) async throws {
        guard let token = Self.bearerToken(request.headers[.authorization]) else { return }
        do {
            context.identity = try await verifier.authenticate(token)
            telemetry.bearer(accepted: true)
        } catch {
            telemetry.bearer(accepted: false)
            context.logger.info("bearer token refused", metadata: ["reason": "\(error)"])
            throw AuthenticationError.invalidToken
        }
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
