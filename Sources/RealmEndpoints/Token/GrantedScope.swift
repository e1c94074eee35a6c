import Domain
import Tokens

/// The scopes a token is granted: the client's default client scopes, plus the optional ones the request names.
/// Naming a scope the client has neither as default nor optional is `invalid_scope`. The token's `scope` is what the
/// plan shows of them (`scope=profile` → `"email openid profile"`, as Keycloak prints it).
struct GrantedScope: Sendable, CustomStringConvertible {
    /// Asks for an offline token, which only users holding the realm role of the same name may have.
    static let offlineAccess = "offline_access"

    /// The optional client scopes granted.
    let optional: Set<String>
    /// An ID token is added only when the request itself named `openid` (OpenID Connect Core §3.1.2.1), at sign-in and
    /// at every refresh of that sign-in.
    let requestedOpenID: Bool
    /// The token's `scope`, worked out once: every token of the request carries it.
    let description: String
    /// What sessions, codes and refresh tokens record: the optional scopes granted, and `openid` when it was asked for.
    /// A record of an older version (every granted name) reads the same way: names that are not optional are dropped.
    let stored: String

    /// Parses the `scope` parameter as sent; unknown scopes are refused with the text as sent.
    init(requested: String?, plan: ClaimPlan) throws {
        let asked = Set((requested ?? "").split(separator: " ").map(String.init))
        guard asked.allSatisfy({ $0 == "openid" || plan.defaultNames.contains($0) || plan.optionalNames.contains($0) }) else {
            throw OAuthError.invalidScope(requested ?? "")
        }
        self.init(optional: asked.intersection(plan.optionalNames), requestedOpenID: asked.contains("openid"), plan: plan)
    }

    /// A scope recorded by `stored` (refresh and code redemption keep what sign-in granted).
    init(stored: String, plan: ClaimPlan) {
        let recorded = Set(stored.split(separator: " ").map(String.init))
        self.init(optional: recorded.intersection(plan.optionalNames), requestedOpenID: recorded.contains("openid"), plan: plan)
    }

    private init(optional: Set<String>, requestedOpenID: Bool, plan: ClaimPlan) {
        self.optional = optional
        self.requestedOpenID = requestedOpenID
        self.description = plan.scopeText(optional: optional)
        self.stored = (requestedOpenID ? optional.union(["openid"]) : optional).sorted().joined(separator: " ")
        self.plan = plan
    }

    /// The client's plan the scope was granted from, which the issuer runs.
    let plan: ClaimPlan

    var offline: Bool { optional.contains(Self.offlineAccess) }

    /// Whether a user holding these realm roles may have what the scope asks.
    func isAllowed(realmRoles: [String]) -> Bool { !offline || realmRoles.contains(Self.offlineAccess) }

    /// The scope without an offline token: what the login page grants a user who may not have one (OAuth lets a
    /// server grant less than asked; the token's `scope` says what was granted).
    var withoutOffline: GrantedScope {
        GrantedScope(optional: optional.subtracting([Self.offlineAccess]), requestedOpenID: requestedOpenID, plan: plan)
    }
}
