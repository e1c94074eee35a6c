import Domain
import Foundation
import Hummingbird
import Identity

/// Reads which client is calling, from `client_secret_basic` or `client_secret_post` (RFC 6749 §2.3.1), and has the
/// identity capability check it (`ClientSignIn`: secret in constant time, throttled per client and address).
struct ClientAuthenticator: Sendable {
    let signIn: ClientSignIn

    /// The client, authenticated; confidential clients must present their secret, public ones must not need one.
    func authenticate(_ request: Request, form: FormBody, realm: String, remoteAddress: String) async throws -> Client {
        let (clientId, secret) = try Self.credentials(request, form: form)
        return try await OAuthError.grant { try await signIn(realm: realm, clientId: clientId, secret: secret, address: remoteAddress) }
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
