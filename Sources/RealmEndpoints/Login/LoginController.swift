import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import Secrets
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
        if let problem = try await problem(authorization, client: client) {
            return redirect(authorization, ["error": problem.error, "error_description": problem.description])
        }
        return loginForm(authorization, realm: realm.realm.name, request: request)
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let realm = try await services.lookup.enabled(try context.parameters.require("realm"))
        let form = try await FormBody.read(request)
        let (authorization, client) = try await validated(AuthorizationRequest { form[$0] }, realm: realm.realm.name)
        if let problem = try await problem(authorization, client: client) {
            return redirect(authorization, ["error": problem.error, "error_description": problem.description])
        }
        let proof: PasswordProof
        var pending: PendingSignIn?
        if let sealed = form["pending"] {
            // A later step: the sealed value stands in for the password just checked.
            guard let opened = PendingSignIn.open(sealed, secrets: services.secrets, realm: realm.realm.name, request: authorization, now: services.clock.now),
                let found = try await services.credentials.passwords.pending(realm: realm.realm.name, userId: opened.userId, passwordDigest: opened.passwordDigest)
            else { return loginForm(authorization, realm: realm.realm.name, request: request, error: Self.expired, status: .unauthorized) }
            (proof, pending) = (found, opened)
        } else {
            do {
                proof = try await services.credentials.passwords(
                    realm: realm.realm.name, username: form["username"], password: form["password"], address: context.remoteAddress)
            } catch CredentialRefused.throttled {
                return loginForm(
                    authorization, realm: realm.realm.name, request: request, error: "Too many failed attempts. Try again later.",
                    status: .tooManyRequests)
            } catch let refused as CredentialRefused {
                await services.administration.loginEvents.record(
                    .loginError, realm: realm.realm,
                    .init(
                        clientId: client.clientId, ipAddress: context.remoteAddress,
                        error: refused == .accountDisabled ? "user_disabled" : "invalid_user_credentials",
                        details: form["username"].flatMap { Names.isValidIdentifier($0) ? ["username": $0.lowercased()] : nil } ?? [:]))
                return loginForm(authorization, realm: realm.realm.name, request: request, error: "Invalid username or password.", status: .unauthorized)
            } catch is HashingPool.Busy {
                var busy = loginForm(
                    authorization, realm: realm.realm.name, request: request, error: "Too many sign-ins at once. Try again in a moment.",
                    status: .serviceUnavailable)
                busy.headers[.retryAfter] = String(HashingPool.Busy.retryAfter)
                return busy
            }
        }
        let user = proof.user
        guard let passwordDigest = proof.passwordDigest else {
            return loginForm(authorization, realm: realm.realm.name, request: request, error: Self.expired, status: .unauthorized)
        }
        var step = SignInStep(
            authorization: authorization, request: request, realm: realm.realm, client: client, user: user, passwordDigest: passwordDigest,
            address: context.remoteAddress)
        // A passed second factor stands only for the password change it was sealed for, which works once.
        let passed = pending?.passedSecondFactor == true && user.mustChangePassword
        if !passed, let shown = try await secondFactor(step, form: form, pending: pending) { return shown }
        if user.mustChangePassword {
            let sealed = try step.pending(passedSecondFactor: true, services: services)
            guard let newPassword = form["password-new"] else { return updatePasswordForm(authorization, pending: sealed, request: request) }
            guard newPassword == form["password-confirm"] else {
                return updatePasswordForm(authorization, pending: sealed, request: request, error: "Passwords don't match.")
            }
            switch try await services.credentials.passwords.replaceRequiredPassword(proof, with: newPassword, now: services.clock.now) {
            case .replaced(let newDigest):
                step.passwordDigest = newDigest
                await services.administration.loginEvents.record(
                    .updatePassword, realm: realm.realm, .init(clientId: client.clientId, userId: user.id, ipAddress: context.remoteAddress))
            case .refused(let message): return updatePasswordForm(authorization, pending: sealed, request: request, error: message)
            case .expired: return loginForm(authorization, realm: realm.realm.name, request: request, error: Self.expired, status: .unauthorized)
            }
        }
        do {
            return try await complete(step)
        } catch SessionError.userDisabled, SessionError.credentialsChanged {
            // An administrator disabled the user or replaced the password while this sign-in was under way.
            return loginForm(authorization, realm: realm.realm.name, request: request, error: "Invalid username or password.", status: .unauthorized)
        }
    }

    /// Opens the session with a one-time code and sends the browser back to the client.
    /// The portal's own client never gets an offline session: a sign-out must end a portal session.
    private func complete(_ step: SignInStep) async throws -> Response {
        let (authorization, user, client, realm, address) = (step.authorization, step.user, step.client, step.realm, step.address)
        var scope = try GrantedScope(requested: authorization.scope, plan: try await services.credentials.claimPlans.plan(of: client))
        if scope.offline {
            let allowed = try await scope.isAllowed(realmRoles: services.credentials.roles(userId: user.id).realm)
            if client.clientId == PortalClient.clientId || !allowed { scope = scope.withoutOffline }
        }
        let issued = try await services.sessions.issueCode(
            user: user, realm: realm, address: address, provenWith: step.passwordDigest,
            .init(
                clientId: client.clientId, redirectURI: authorization.redirectURI, codeChallenge: authorization.codeChallenge,
                codeChallengeMethod: authorization.codeChallengeMethod, nonce: authorization.nonce, scope: scope.stored, offline: scope.offline))
        await services.administration.loginEvents.record(
            .login, realm: realm,
            .init(
                clientId: client.clientId, userId: user.id, sessionId: issued.session.id, ipAddress: address,
                details: ["auth_method": "openid-connect", "username": user.username, "redirect_uri": authorization.redirectURI]))
        return redirect(authorization, ["session_state": issued.session.id, "iss": services.issuers.issuer(realm: realm.name), "code": issued.code])
    }

    private func validated(_ authorization: AuthorizationRequest?, realm: String) async throws -> (AuthorizationRequest, Client) {
        guard let authorization, Names.isValidIdentifier(authorization.clientId) else {
            throw LoginError(message: "Missing or invalid client_id or redirect_uri.")
        }
        guard let client = try await services.credentials.clients.named(realm: realm, clientId: authorization.clientId), client.standardFlowEnabled else {
            throw LoginError(message: "Client not found.")
        }
        guard client.allowsRedirect(to: authorization.redirectURI) else { throw LoginError(message: "Invalid parameter: redirect_uri") }
        return (authorization, client)
    }

    /// What to send the browser back to the client with instead of a login form, if anything.
    private func problem(_ authorization: AuthorizationRequest, client: Client) async throws -> (error: String, description: String)? {
        if let problem = authorization.redirectableError(for: client) { return problem }
        let plan = try await services.credentials.claimPlans.plan(of: client)
        return (try? GrantedScope(requested: authorization.scope, plan: plan)) == nil ? ("invalid_scope", "Invalid scopes: \(authorization.scope ?? "")") : nil
    }

    private func redirect(_ authorization: AuthorizationRequest, _ parameters: [String: String]) -> Response {
        var items = parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        if let state = authorization.state { items.insert(URLQueryItem(name: "state", value: state), at: 0) }
        var components = URLComponents(string: authorization.redirectURI) ?? URLComponents()
        components.queryItems = (components.queryItems ?? []) + items
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return Response(status: .found, headers: [.location: components.string ?? authorization.redirectURI, .cacheControl: "no-store"])
    }

    static let expired = "Your sign-in expired. Sign in again."

    func loginForm(
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
