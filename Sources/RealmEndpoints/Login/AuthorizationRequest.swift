import Domain
import Secrets

/// The parameters of an authorization request (RFC 6749 §4.1.1, OIDC, PKCE), validated against the client.
struct AuthorizationRequest: Sendable {
    var clientId: String
    var redirectURI: String
    var responseType: String
    var scope: String?
    var state: String?
    var nonce: String?
    var codeChallenge: String?
    var codeChallengeMethod: String?

    static let fieldNames = ["client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method"]

    /// Reads the parameters from a query string or a form; nil when client or redirect URI are missing.
    init?(_ value: (String) -> String?) {
        guard let clientId = value("client_id"), let redirectURI = value("redirect_uri") else { return nil }
        self.clientId = clientId
        self.redirectURI = redirectURI
        self.responseType = value("response_type") ?? ""
        self.scope = value("scope")
        self.state = value("state")
        self.nonce = value("nonce")
        self.codeChallenge = value("code_challenge")
        self.codeChallengeMethod = value("code_challenge_method")
    }

    /// The parameters again, as hidden form fields, so the login form posts them back.
    var hiddenFields: [[String: String]] {
        let values: [(String, String?)] = [
            ("client_id", clientId), ("redirect_uri", redirectURI), ("response_type", responseType), ("scope", scope), ("state", state),
            ("nonce", nonce), ("code_challenge", codeChallenge), ("code_challenge_method", codeChallengeMethod),
        ]
        return values.compactMap { name, value in value.map { ["name": name, "value": $0] } }
    }

    /// SHA-256 of every parameter: what a pending password change is bound to.
    var digest: String {
        let values = [clientId, redirectURI, responseType, scope, state, nonce, codeChallenge, codeChallengeMethod]
        return TokenDigest.sha256Hex(values.map { $0.map { "+" + $0 } ?? "-" }.joined(separator: "\n"))
    }

    /// Problems that go back to the client by redirect (the redirect URI itself is trusted by now). A public client
    /// must send PKCE with S256: it has no secret, so the verifier is all that ties the code to it (RFC 9700 §2.1.1).
    func redirectableError(for client: Client) -> (error: String, description: String)? {
        if responseType != "code" { return ("unsupported_response_type", "Only response_type=code is supported") }
        if client.isPublic && (codeChallenge == nil || codeChallengeMethod != "S256") {
            return ("invalid_request", "Missing parameter: code_challenge_method=S256 (PKCE is required for public clients)")
        }
        if let method = codeChallengeMethod, codeChallenge == nil || !["S256", "plain"].contains(method) {
            return ("invalid_request", "Invalid parameter: code_challenge_method")
        }
        if let challenge = codeChallenge, !(43...128).contains(challenge.count) { return ("invalid_request", "Invalid parameter: code_challenge") }
        return nil
    }
}
