import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import Storage

/// Identifies the calling client from `client_secret_basic` or `client_secret_post` (RFC 6749 §2.3.1) and checks its
/// secret in constant time. Repeated failures are throttled per client and address (`FailureThrottle`).
struct ClientAuthenticator: Sendable {
    let database: any Database
    /// Clients by realm and `clientId` (with their sealed secrets); any change empties it on every node.
    let cache: ExpiringCache<ClientStore.Record>
    let secrets: SecretBox
    let throttle: FailureThrottle

    /// The client, authenticated; confidential clients must present their secret, public ones must not need one.
    func authenticate(_ request: Request, form: FormBody, realm: String, remoteAddress: String) async throws -> Client {
        let (clientId, secret) = try Self.credentials(request, form: form)
        guard let clientId, Names.isValidIdentifier(clientId) else { throw OAuthError.invalidClient }
        let attempt = FailureThrottle.Attempt(credential: "client:\(realm)/\(clientId)", address: remoteAddress)
        if let wait = throttle.retryAfter(attempt) { throw OAuthError.tooManyRequests(retryAfter: wait) }
        let record = try await cache.value("\(realm)\u{0}\(clientId)") {
            try await database.read { sql in try await ClientStore(sql).find(realm: realm, clientId: clientId) }
        }
        guard let record, record.client.enabled else {
            throttle.recordFailure(attempt)
            throw OAuthError.invalidClient
        }
        if record.client.isPublic { return record.client }
        guard let secret, let sealed = record.sealedSecret, ConstantTime.equals(try secrets.open(sealed), secret) else {
            throttle.recordFailure(attempt)
            throw OAuthError.badClientSecret
        }
        throttle.recordSuccess(attempt)
        return record.client
    }

    /// `(client_id, client_secret)` from the Basic header (both halves URL-decoded) or the form; naming two different
    /// clients is `invalid_request`.
    static func credentials(_ request: Request, form: FormBody) throws -> (String?, String?) {
        var clientId = form["client_id"]
        var secret = form["client_secret"]
        if let header = request.headers[.authorization], header.count > 6, header.prefix(6).lowercased() == "basic " {
            guard let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":"),
                let id = FormBody.decode(text[..<colon]), let password = FormBody.decode(text[text.index(after: colon)...])
            else { throw OAuthError.invalidClient }
            if let formId = clientId, formId != id { throw OAuthError.invalidRequest("Client identified twice") }
            clientId = id
            secret = password.isEmpty ? secret : password
        }
        return (clientId, secret)
    }
}
