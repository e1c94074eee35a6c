import HTTPKit
import HTTPTypes
import Hummingbird
import Identity
import Secrets
import UseCases

/// Errors of the token and related endpoints: `{"error","error_description"}` (RFC 6749 §5.2), never cached.
public struct OAuthError: HTTPResponseError, Equatable {
    public let status: HTTPResponse.Status
    public let error: String
    public let description: String?
    /// Seconds to wait, for 429 answers.
    public var retryAfter: Int?

    public init(status: HTTPResponse.Status, error: String, description: String?, retryAfter: Int? = nil) {
        self.status = status
        self.error = error
        self.description = description
        self.retryAfter = retryAfter
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = OAuthError.noStore
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        // `error` first, as Keycloak writes it: clients match the body's text.
        var body = OrderedJSON()
        body.append("error", .string(error))
        body.append("error_description", description.map { .string($0) })
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.bytes)))
    }

    /// RFC 6749 §5.1: token responses must not be cached.
    public static let noStore: HTTPFields = [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"]

    static let realmNotFound = OAuthError(status: .notFound, error: "Realm does not exist", description: nil)
    /// The client's protocol mappers would make a token longer than the server reads (an administrator's to fix).
    static let tokenTooLarge = OAuthError(
        status: .badRequest, error: "invalid_request", description: "The token would be longer than 16 KiB: the client's mappers add too much")
    static func invalidRequest(_ description: String) -> OAuthError { OAuthError(status: .badRequest, error: "invalid_request", description: description) }
    static let unsupportedGrantType = OAuthError(status: .badRequest, error: "unsupported_grant_type", description: "Unsupported grant_type")
    static let invalidClient = OAuthError(status: .unauthorized, error: "invalid_client", description: "Invalid client or Invalid client credentials")
    static let badClientSecret = OAuthError(
        status: .unauthorized, error: "unauthorized_client", description: "Invalid client or Invalid client credentials")
    static let serviceAccountsDisabled = OAuthError(
        status: .unauthorized, error: "unauthorized_client", description: "Client not enabled to retrieve service account")
    static let publicClientServiceAccount = OAuthError(
        status: .unauthorized, error: "unauthorized_client", description: "Public client not allowed to retrieve service account")
    static func unauthorizedClient(_ description: String) -> OAuthError {
        OAuthError(status: .badRequest, error: "unauthorized_client", description: description)
    }
    static func invalidScope(_ sent: String) -> OAuthError { OAuthError(status: .badRequest, error: "invalid_scope", description: "Invalid scopes: \(sent)") }
    static func invalidGrant(_ description: String) -> OAuthError { OAuthError(status: .badRequest, error: "invalid_grant", description: description) }
    /// Keycloak's answer to `scope=offline_access` from a user without the `offline_access` role.
    static let offlineNotAllowed = OAuthError(status: .badRequest, error: "not_allowed", description: "Offline tokens not allowed for the user or client")
    static func invalidToken(_ description: String) -> OAuthError {
        OAuthError(status: .unauthorized, error: "invalid_token", description: description)
    }
    static func tooManyRequests(retryAfter: Int) -> OAuthError {
        OAuthError(status: .tooManyRequests, error: "too_many_requests", description: "Too many failed attempts, try again later", retryAfter: retryAfter)
    }
}

extension OAuthError {
    /// Every hashing thread and its queue is taken (`HashingPool.Busy`): RFC 6749's `temporarily_unavailable`, as a 503
    /// with `Retry-After`, so clients back off instead of piling on.
    static let busy = OAuthError(
        status: .serviceUnavailable, error: "temporarily_unavailable", description: "Too many sign-ins at once, try again shortly",
        retryAfter: HashingPool.Busy.retryAfter)

    /// The token endpoint's answer to a credential the identity capability refused (identity.md's error table).
    init(_ refused: CredentialRefused) {
        switch refused {
        case .client, .psk: self = .invalidClient
        case .clientSecret: self = .badClientSecret
        case .throttled(let wait): self = .tooManyRequests(retryAfter: wait)
        case .password: self = OAuthError(status: .unauthorized, error: "invalid_grant", description: "Invalid user credentials")
        case .accountDisabled: self = .invalidGrant("Account disabled")
        // Keycloak's direct grant answers a missing or wrong `totp` as it answers a wrong password.
        case .oneTimeCode: self = OAuthError(status: .unauthorized, error: "invalid_grant", description: "Invalid user credentials")
        }
    }

    /// The one mapping from what a grant's use cases throw to RFC 6749 §5.2: a refused code or refresh (`SessionError`)
    /// is `invalid_grant` with the use case's words, a refused credential its row of the table, busy hashing threads
    /// `temporarily_unavailable`.
    static func grant<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SessionError {
            throw OAuthError.invalidGrant(error.message)
        } catch let refused as CredentialRefused {
            throw OAuthError(refused)
        } catch is HashingPool.Busy {
            throw OAuthError.busy
        }
    }
}
