/// Builds and parses the realm URLs that go into `iss` and discovery: `{public base URL}/realms/{realm}`.
public struct IssuerURLs: Sendable {
    /// The public base URL without a trailing slash, e.g. `http://127.0.0.1:8080`.
    public let baseURL: String

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    public func issuer(realm: String) -> String { "\(baseURL)/realms/\(realm)" }

    public func openIDConnect(realm: String, _ endpoint: String) -> String { "\(issuer(realm: realm))/protocol/openid-connect/\(endpoint)" }

    /// The realm an issuer URL names, if it is one of ours.
    public func realm(ofIssuer iss: String) -> String? {
        let prefix = "\(baseURL)/realms/"
        guard iss.hasPrefix(prefix) else { return nil }
        let realm = iss.dropFirst(prefix.count)
        return realm.isEmpty || realm.contains("/") ? nil : String(realm)
    }
}
