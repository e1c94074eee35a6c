/// The scopes a token carries: the client's defaults (`openid`, `profile`, `email`) plus what was asked for, sorted
/// and space-separated as Keycloak prints them (`scope=profile` → `"email openid profile"`).
struct GrantedScope: Sendable, CustomStringConvertible {
    static let defaults: Set<String> = ["openid", "profile", "email"]
    /// Optional client scopes a request may add; anything else is `invalid_scope`.
    static let optional: Set<String> = ["roles", "web-origins", "acr", "basic"]

    let scopes: Set<String>
    /// An ID token is added only when the request itself named `openid`.
    let requestedOpenID: Bool
    /// Sorted and joined once: every token of the request carries it.
    let description: String

    /// Parses the `scope` parameter as sent; unknown scopes are refused with the text as sent.
    init(requested: String?) throws {
        let asked = Set((requested ?? "").split(separator: " ").map(String.init))
        guard asked.isSubset(of: Self.defaults.union(Self.optional)) else { throw OAuthError.invalidScope(requested ?? "") }
        self.scopes = Self.defaults.union(asked)
        self.requestedOpenID = asked.contains("openid")
        self.description = scopes.sorted().joined(separator: " ")
    }

    /// A scope stored with a session (refresh keeps what login granted).
    init(stored: String, requestedOpenID: Bool) {
        self.scopes = Set(stored.split(separator: " ").map(String.init))
        self.requestedOpenID = requestedOpenID
        self.description = scopes.sorted().joined(separator: " ")
    }

    func contains(_ scope: String) -> Bool { scopes.contains(scope) }
}
