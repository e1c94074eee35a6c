import Crypto
import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import Storage
import Tokens
import UseCases

/// `/protocol/openid-connect/auth`: the login page of the authorization-code flow. A bad client or redirect URI gets
/// an error page (never a redirect); other problems go back to the client as `?error=…`.
struct LoginController: Sendable {
    let services: RealmServices
    let pages: LoginPage

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("protocol/openid-connect/auth", use: show)
        group.post("protocol/openid-connect/auth", use: submit)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let realm = try await services.lookup.enabled(try context.parameters.require("realm"))
        let query = request.uri.queryParameters
        let (authorization, client) = try await validated(AuthorizationRequest { query[Substring($0)].map(String.init) }, realm: realm.realm.name)
        if let problem = authorization.redirectableError(for: client) ?? scopeError(authorization) {
            return redirect(authorization, ["error": problem.error, "error_description": problem.description])
        }
        return loginForm(authorization, realm: realm.realm.name, request: request)
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let realm = try await services.lookup.enabled(try context.parameters.require("realm"))
        let form = try await FormBody.read(request)
        let (authorization, client) = try await validated(AuthorizationRequest { form[$0] }, realm: realm.realm.name)
        if let problem = authorization.redirectableError(for: client) ?? scopeError(authorization) {
            return redirect(authorization, ["error": problem.error, "error_description": problem.description])
        }
        let signedIn: UserStore.Credentials
        if let sealed = form["pending"] {
            // The second step of a forced password change: the sealed value stands in for the password just checked.
            guard let pending = PendingPasswordChange.open(
                sealed, secrets: services.secrets, realm: realm.realm.name, request: authorization, now: services.clock.now),
                let found = try await services.database.read({ sql in try await UserStore(sql).credentials(realm: realm.realm.name, id: pending.userId) }),
                found.user.enabled, found.user.mustChangePassword, pending.replaces(found.passwordHash)
            else {
                return loginForm(
                    authorization, realm: realm.realm.name, request: request, error: "Your sign-in expired. Sign in again.", status: .unauthorized)
            }
            signedIn = found
        } else {
            let attempt = UserLogin.attempt(realm: realm.realm.name, username: form["username"], address: context.remoteAddress)
            if services.throttle.retryAfter(attempt) != nil {
                return loginForm(
                    authorization, realm: realm.realm.name, request: request, error: "Too many failed attempts. Try again later.",
                    status: .tooManyRequests)
            }
            do {
                signedIn = try await services.userLogin.check(
                    realm: realm.realm.name, username: form["username"], password: form["password"], attempt: attempt)
            } catch is OAuthError {
                return loginForm(authorization, realm: realm.realm.name, request: request, error: "Invalid username or password.", status: .unauthorized)
            } catch is HashingPool.Busy {
                var busy = loginForm(
                    authorization, realm: realm.realm.name, request: request, error: "Too many sign-ins at once. Try again in a moment.",
                    status: .serviceUnavailable)
                busy.headers[.retryAfter] = String(HashingPool.Busy.retryAfter)
                return busy
            }
        }
        let user = signedIn.user
        if user.mustChangePassword, let currentHash = signedIn.passwordHash {
            let pending = try PendingPasswordChange(
                realm: realm.realm.name, userId: user.id, expiresAt: services.clock.now + PendingPasswordChange.lifetime, request: authorization,
                replacing: currentHash
            ).sealed(with: services.secrets)
            guard let newPassword = form["password-new"] else { return updatePasswordForm(authorization, pending: pending, request: request) }
            guard newPassword == form["password-confirm"] else {
                return updatePasswordForm(authorization, pending: pending, request: request, error: "Passwords don't match.")
            }
            guard newPassword.count >= 8, try await !services.passwords.verify(newPassword, hash: currentHash) else {
                return updatePasswordForm(
                    authorization, pending: pending, request: request, error: "Choose a new password of at least 8 characters.")
            }
            let (hash, now) = (try await services.passwords.hash(newPassword), services.clock.now)
            let replaced = try await services.database.transaction { sql in
                try await UserStore(sql).replaceRequiredPassword(id: user.id, expected: currentHash, with: hash, at: now)
            }
            guard replaced else {
                return loginForm(
                    authorization, realm: realm.realm.name, request: request, error: "Your sign-in expired. Sign in again.", status: .unauthorized)
            }
        }
        return try await complete(authorization, user: user, client: client, realm: realm.realm)
    }

    /// Opens the session with a one-time code (stored by hash, in the same transaction) and sends the browser back to
    /// the client.
    private func complete(_ authorization: AuthorizationRequest, user: User, client: Client, realm: Realm) async throws -> Response {
        let scope = try GrantedScope(requested: authorization.scope)
        let code = Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
        let stored = AuthorizationCode(
            codeHash: TokenDigest.sha256Hex(code), realm: realm.name, clientId: client.clientId, sessionId: "", redirectUri: authorization.redirectURI,
            codeChallenge: authorization.codeChallenge,
            codeChallengeMethod: authorization.codeChallenge == nil ? nil : (authorization.codeChallengeMethod ?? "plain"), nonce: authorization.nonce,
            scope: scope.stored, expiresAt: services.clock.now + 60)
        let session = try await OpenSession(database: services.database, clock: services.clock)(
            user: user, clientId: client.clientId, scope: scope.stored, realm: realm, code: stored)
        return redirect(authorization, ["session_state": session.id, "iss": services.issuers.issuer(realm: realm.name), "code": code])
    }

    private func validated(_ authorization: AuthorizationRequest?, realm: String) async throws -> (AuthorizationRequest, Client) {
        guard let authorization, Names.isValidIdentifier(authorization.clientId) else {
            throw LoginError(message: "Missing or invalid client_id or redirect_uri.")
        }
        let record = try await services.database.read { sql in try await ClientStore(sql).find(realm: realm, clientId: authorization.clientId) }
        guard let client = record?.client, client.enabled, client.standardFlowEnabled else { throw LoginError(message: "Client not found.") }
        guard client.allowsRedirect(to: authorization.redirectURI) else { throw LoginError(message: "Invalid parameter: redirect_uri") }
        return (authorization, client)
    }

    private func scopeError(_ authorization: AuthorizationRequest) -> (error: String, description: String)? {
        (try? GrantedScope(requested: authorization.scope)) == nil ? ("invalid_scope", "Invalid scopes: \(authorization.scope ?? "")") : nil
    }

    private func redirect(_ authorization: AuthorizationRequest, _ parameters: [String: String]) -> Response {
        var items = parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        if let state = authorization.state { items.insert(URLQueryItem(name: "state", value: state), at: 0) }
        var components = URLComponents(string: authorization.redirectURI) ?? URLComponents()
        components.queryItems = (components.queryItems ?? []) + items
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return Response(status: .found, headers: [.location: components.string ?? authorization.redirectURI, .cacheControl: "no-store"])
    }

    private func loginForm(
        _ authorization: AuthorizationRequest, realm: String, request: Request, error: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        var context: [String: Any] = ["realm": realm, "action": request.uri.path, "hidden": authorization.hiddenFields]
        if let error { context["error"] = error }
        return pages.render("login", context, status: status)
    }

    private func updatePasswordForm(_ authorization: AuthorizationRequest, pending: String, request: Request, error: String? = nil) -> Response {
        var context: [String: Any] = ["action": request.uri.path, "hidden": authorization.hiddenFields + [["name": "pending", "value": pending]]]
        if let error { context["error"] = error }
        return pages.render("update-password", context, status: error == nil ? .ok : .badRequest)
    }
}

/// A login problem shown as a page, because the redirect URI cannot be trusted.
struct LoginError: HTTPResponseError {
    let message: String
    var status: HTTPResponse.Status { .badRequest }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        LoginPage.message(title: "We are sorry…", text: message, status: status)
    }
}
