/// The scopes a token carries: the client's defaults (`openid`, `profile`, `email`) plus what was asked for, sorted
/// and space-separated as Keycloak prints them (`scope=profile` → `"email openid profile"`).
struct GrantedScope: Sendable, CustomStringConvertible {
    static let defaults: Set<String> = ["openid", "profile", "email"]
    /// Optional client scopes a request may add; anything else is `invalid_scope`.
    static let optional: Set<String> = ["roles", "web-origins", "acr", "basic", offlineAccess]
    /// Asks for an offline token, which only users holding the realm role of the same name may have.
    static let offlineAccess = "offline_access"

    let scopes: Set<String>
    /// An ID token is added only when the request itself named `openid` (OpenID Connect Core §3.1.2.1), at sign-in and
    /// at every refresh of that sign-in.
    let requestedOpenID: Bool
    /// Sorted and joined once: every token of the request carries it.
    let description: String
    /// What sessions, codes and refresh tokens record: the granted scopes, with `openid` only when it was asked for, as
    /// Keycloak's refresh tokens do. The granted set is always `defaults` ∪ this, so the request is known again later.
    let stored: String

    /// Parses the `scope` parameter as sent; unknown scopes are refused with the text as sent.
    init(requested: String?) throws {
        let asked = Set((requested ?? "").split(separator: " ").map(String.init))
        guard asked.isSubset(of: Self.defaults.union(Self.optional)) else { throw OAuthError.invalidScope(requested ?? "") }
        self.init(granted: Self.defaults.union(asked), requestedOpenID: asked.contains("openid"))
    }

    /// A scope recorded by `stored` (refresh and code redemption keep what sign-in granted). A record written before
    /// `stored` existed always names `openid`, and keeps its ID tokens.
    init(stored: String) {
        let recorded = Set(stored.split(separator: " ").map(String.init))
        self.init(granted: Self.defaults.union(recorded), requestedOpenID: recorded.contains("openid"))
    }

    private init(granted: Set<String>, requestedOpenID: Bool) {
        self.scopes = granted
        self.requestedOpenID = requestedOpenID
        self.description = granted.sorted().joined(separator: " ")
        self.stored = (requestedOpenID ? granted : granted.subtracting(["openid"])).sorted().joined(separator: " ")
    }

    func contains(_ scope: String) -> Bool { scopes.contains(scope) }

    var offline: Bool { scopes.contains(Self.offlineAccess) }

    /// Whether a user holding these realm roles may have what the scope asks.
    func isAllowed(realmRoles: [String]) -> Bool { !offline || realmRoles.contains(Self.offlineAccess) }

    /// The scope without an offline token: what the login page grants a user who may not have one (OAuth lets a
    /// server grant less than asked; the token's `scope` says what was granted).
    var withoutOffline: GrantedScope {
        GrantedScope(granted: scopes.subtracting([Self.offlineAccess]), requestedOpenID: requestedOpenID)
    }
}
