import Domain
import HTTPTypes
import Hummingbird
import Identity
import Logging

/// `Authorization-PSK: <key>` → a `Principal`. No header: passes. A bad key: 401 "Invalid PSK" with
/// `WWW-Authenticate: APIKey`. With a bearer token as well, both must be valid and name the same user (api.md).
public struct PSKAuthenticator: Sendable {
    public typealias Context = AppRequestContext
    let verifier: PSKVerifier
    let forDataRoute: Bool

    public static let header = HTTPField.Name("Authorization-PSK")!

    /// `forDataRoute`: the `GET /api/data/{view}` group, the one place that accepts data-product keys, also in the `psk`
    /// query parameter (what the NexusOne SDK sends). Everywhere else a data-product key is 403.
    public init(verifier: PSKVerifier, forDataRoute: Bool = false) {
        self.verifier = verifier
        self.forDataRoute = forDataRoute
    }

    /// Sets `context.identity` when the request carries a PSK (and no bearer token already did); throws when the key
    /// is not valid here or names another user than the bearer token.
    public func identify(_ request: Request, context: inout Context) async throws {
        let presented = request.headers[Self.header] ?? (forDataRoute ? request.uri.queryParameters["psk"].map(String.init) : nil)
        guard let presented else { return }
        let principal: Principal
        let key: PreSharedKey
        do {
            (principal, key) = try await verifier.verify(presented, address: context.remoteAddress)
        } catch is CredentialRefused {
            throw AuthenticationError.invalidPSK
        }
        guard key.kind != .dataProduct || forDataRoute else {
            throw APIError.forbidden("A data-product key can only read its own data product.")
        }
        if let bearer = context.identity, bearer.subject != principal.subject || bearer.realm != principal.realm {
            context.logger.info("bearer token and PSK name different users")
            throw AuthenticationError.invalidPSK
        }
        context.identity = context.identity ?? principal
    }
}
