import Authentication
import Domain
import Storage
import Tokens

/// The portal's OpenID Connect client in each customer realm: public, authorization code with PKCE only, redirecting
/// to `<public URL>/portal/<realm>/callback`.
public enum PortalClient {
    public static let clientId = "nexusone-portal"

    public static func redirectURI(publicURL: String, realm: String) -> String { "\(publicURL)/portal/\(realm)/callback" }
}

/// Who the portal's authorization code stood for.
public struct PortalLogin: Sendable, Equatable {
    public let userId: String
    /// The realm session the login opened (`sid`); the portal's logout ends it.
    public let sessionId: String
}

extension RealmServices {
    /// Creates the portal client of `realm`, or points its redirect URI at the current public URL.
    public func ensurePortalClient(realm: String, publicURL: String) async throws {
        let redirect = PortalClient.redirectURI(publicURL: publicURL, realm: realm)
        let now = clock.now
        let changed = try await database.transaction { sql -> Bool in
            let store = ClientStore(sql)
            if var client = try await store.find(realm: realm, clientId: PortalClient.clientId)?.client {
                guard client.redirectURIs != [redirect] else { return false }
                client.redirectURIs = [redirect]
                try await store.update(client)
            } else {
                try await store.insert(
                    Client(
                        id: Identifiers.uuid(), realm: realm, clientId: PortalClient.clientId, name: "NexusOne portal", isPublic: true,
                        standardFlowEnabled: true, directAccessGrantsEnabled: false, redirectURIs: [redirect], createdAt: now),
                    sealedSecret: nil)
            }
            try await database.announceChange(on: sql)
            return true
        }
        // Only a real change empties the caches (every sign-in passes here).
        if changed { changes.notify() }
    }

    /// The portal's side of RFC 6749 §4.1.3, in process: the one-time code, checked like the token endpoint checks it
    /// (client, redirect URI, PKCE, live session, enabled user), yields the user and the realm session. No tokens are
    /// minted: the portal serves pages from the same storage.
    public func exchangePortalCode(realm: String, code: String, redirectURI: String, verifier: String) async throws -> PortalLogin {
        let now = clock.now
        let stored = try await database.transaction { sql in try await SessionStore(sql).consumeCode(hash: TokenDigest.sha256Hex(code)) }
        guard let stored, stored.realm == realm, stored.expiresAt > now, stored.clientId == PortalClient.clientId, stored.redirectUri == redirectURI
        else { throw OAuthError.invalidGrant("Code not valid") }
        try AuthorizationCodeGrant.checkPKCE(challenge: stored.codeChallenge, method: stored.codeChallengeMethod, verifier: verifier)
        let session = try await database.read { sql -> LoginSession? in
            guard let session = try await SessionStore(sql).live(id: stored.sessionId, now: now),
                let user = try await UserStore(sql).find(realm: realm, id: session.userId), user.enabled
            else { return nil }
            return session
        }
        guard let session else { throw OAuthError.invalidGrant("Session not active") }
        return PortalLogin(userId: session.userId, sessionId: session.id)
    }

    public func endSession(_ id: String) async throws {
        try await database.transaction { sql in try await SessionStore(sql).end(id: id) }
    }
}
