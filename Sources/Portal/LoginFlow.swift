import Domain
import Federation
import Foundation
import HTTPKit
import Hummingbird
import Identity
import Secrets
import Tokens
import UseCases

/// The portal as an OpenID Connect client of its realm: authorization code with PKCE (RFC 7636) through the realm's
/// login page — or, for a federated realm, through its external issuer's. What must survive the round trip (state,
/// verifier, where to return) travels in a cookie sealed with the at-rest key (AES-GCM) that lives ten minutes.
struct LoginFlow: Sendable {
    let realms: RealmDirectory
    let ensureClient: EnsurePortalClient
    let redeem: RedeemCode
    let consumeOnce: ConsumeOnce
    let sessions: PortalSessions
    let secrets: SecretBox
    let publicURL: String
    let external: ExternalIssuers
    /// Verifies (and records the user of) the access token a federated sign-in yields.
    let verifier: AccessTokenVerifier
    let openSession: OpenSession
    let liveSessions: LiveSessions
    let clock: EpochClock

    static let cookieName = "nx1_portal_login"

    /// Redirects the browser to the realm's login page (or its external issuer's).
    func start(realm name: String) async throws -> Response {
        let external = self.external.issuer(forRealm: name)
        let authorizationEndpoint: String
        if let external {
            do {
                authorizationEndpoint = try await external.authorizationEndpoint(now: clock.now)
            } catch {
                throw HTTPError(.serviceUnavailable, message: "The realm's identity provider cannot be reached; try again shortly.")
            }
        } else {
            try await ensureClient(realm: name, publicURL: publicURL)
            authorizationEndpoint = "/realms/\(name)/protocol/openid-connect/auth"
        }
        let state = RandomToken.make()
        let verifier = RandomToken.make() + RandomToken.make()
        let challenge = PKCE.challenge(for: verifier)
        let expires = clock.now + 600
        let sealed = try secrets.sealForURL("\(name)\n\(state)\n\(verifier)\n\(expires)")
        var query = URLComponents()
        query.queryItems = [
            .init(name: "client_id", value: PortalClient.clientId), .init(name: "response_type", value: "code"), .init(name: "scope", value: "openid"),
            .init(name: "redirect_uri", value: PortalClient.redirectURI(publicURL: publicURL, realm: name)), .init(name: "state", value: state),
            .init(name: "code_challenge", value: challenge), .init(name: "code_challenge_method", value: "S256"),
        ]
        let separator = authorizationEndpoint.contains("?") ? "&" : "?"
        var response = Response(status: .found, headers: [.location: "\(authorizationEndpoint)\(separator)\(query.percentEncodedQuery ?? "")"])
        response.setCookie(
            Cookie(name: Self.cookieName, value: sealed, maxAge: 600, path: "/portal/\(name)", secure: sessions.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    /// The realm sends the browser back here with `code` and `state`; a session opens and the browser goes home.
    func callback(_ request: Request, realm name: String) async throws -> Response {
        let query = request.uri.queryParameters
        guard let sealed = request.cookies[Self.cookieName]?.value, let text = try? secrets.openFromURL(sealed) else {
            return try await start(realm: name)
        }
        let parts = text.split(separator: "\n").map(String.init)
        guard parts.count == 4, parts[0] == name, let expires = Int(parts[3]), expires > clock.now,
            let state = query["state"], ConstantTime.equals(String(state), parts[1]), let code = query["code"],
            try await consumeOnce(sealed, expiresAt: expires)
        else { return try await start(realm: name) }
        guard let realm = try await realms.entry(name)?.realm else { throw HTTPError(.notFound) }
        let redirectURI = PortalClient.redirectURI(publicURL: publicURL, realm: name)
        let signedIn: (userId: String, sessionId: String)
        if let external = external.issuer(forRealm: name) {
            guard let session = try await federatedSession(external, realm: realm, code: String(code), verifier: parts[2], redirectURI: redirectURI) else {
                return try await start(realm: name)
            }
            signedIn = session
        } else {
            // The same redemption as the token endpoint's (client, redirect URI, PKCE, single use); no tokens are minted:
            // the portal serves its pages from the same storage.
            do {
                let redemption = try await redeem(
                    .init(
                        realm: realm, clientId: PortalClient.clientId, code: String(code), redirectURI: redirectURI, verifier: parts[2],
                        accessTokenId: Identifiers.uuid()))
                signedIn = (redemption.user.id, redemption.session.id)
            } catch is SessionError {
                return try await start(realm: name)
            }
        }
        var response = Response(status: .found, headers: [.location: "/portal/\(name)/"])
        response.setCookie(try await sessions.open(userId: signedIn.userId, realmSessionId: signedIn.sessionId, realm: name))
        response.setCookie(Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/portal/\(name)", secure: sessions.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    /// Redeems the code at the external issuer, verifies its access token as the API does (which records the user),
    /// and opens a local login session for the portal session to live with. Nil when the issuer refuses the code.
    private func federatedSession(_ external: ExternalIssuerKeys, realm: Realm, code: String, verifier codeVerifier: String, redirectURI: String)
        async throws -> (userId: String, sessionId: String)?
    {
        let token: String?
        do {
            token = try await external.redeem(
                code: code, verifier: codeVerifier, redirectURI: redirectURI, clientId: PortalClient.clientId, now: clock.now)
        } catch {
            throw HTTPError(.serviceUnavailable, message: "The realm's identity provider cannot be reached; try again shortly.")
        }
        // The token must be the portal client's own (`azp`), not another client's that happened to be returned.
        guard let token, let principal = try? await verifier.authenticate(token), principal.realm == realm.name,
            principal.clientId == PortalClient.clientId
        else { return nil }
        guard let user = try await liveSessions.user(realm: realm.name, id: principal.subject, sessionId: nil) else { throw HTTPError(.forbidden, message: "This account cannot use the portal.") }
        let session = try await openSession(user: user, clientId: PortalClient.clientId, scope: "openid", realm: realm, address: nil, provenWith: nil)
        return (user.id, session.id)
    }
}
