import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import Secrets
import Tokens
import UseCases

/// The signed-in person behind a portal request, with what the pages need.
struct PortalUser: Sendable {
    let user: User
    let roles: Set<String>
    let adminRights: Set<AdminRight>
    let accountRoles: Set<String>
    /// The token every state-changing form must echo (derived from the session cookie, so nothing more is stored).
    let csrf: String
    let sessionHash: String
    let realmSessionId: String

    /// The actor of every use case a page calls: this person, through a portal session.
    var principal: Principal {
        Principal(subject: user.id, username: user.username, realm: user.realm, roles: roles, sessionId: realmSessionId, credential: .portalSession,
            adminRights: adminRights, accountRoles: accountRoles)
    }

    /// First letters of first and last name, else of the username (portal.md "Home").
    var initials: String {
        let names = [user.firstName, user.lastName].compactMap { $0?.first }.map { String($0).uppercased() }
        return names.isEmpty ? String(user.username.prefix(2)).uppercased() : names.joined()
    }

    var displayName: String {
        let name = [user.firstName, user.lastName].compactMap { $0 }.joined(separator: " ")
        return name.isEmpty ? user.username : name
    }
}

/// The portal's side of browser sessions: the cookie (256 random bits, `HttpOnly`, `SameSite=Lax`, scoped to the
/// realm's portal path) and the CSRF token derived from it; storage is `BrowserSessions`'. A session ends when its realm
/// session ends, at logout, or after eight hours.
struct PortalSessions: Sendable {
    let records: BrowserSessions
    let secureCookies: Bool

    static let cookieName = "nx1_portal"
    static let lifetime = 8 * 3600

    /// A session of the user behind `realmSessionId` (the realm's login session it lives and ends with).
    func open(userId: String, realmSessionId: String, realm name: String) async throws -> Cookie {
        let value = RandomToken.make()
        try await records.open(secret: value, userId: userId, realmSessionId: realmSessionId, realm: name, lifetime: Self.lifetime)
        return cookie(value, realm: name, maxAge: Self.lifetime)
    }

    /// The user of a live session of `realm`, or nil (no cookie, unknown, expired, realm session ended, user disabled).
    func user(_ request: Request, realm name: String) async throws -> PortalUser? {
        guard let value = request.cookies[Self.cookieName]?.value, value.utf8.count <= 128 else { return nil }
        guard let signedIn = try await records.signedIn(secret: value, realm: name) else { return nil }
        return PortalUser(
            user: signedIn.user, roles: Set(signedIn.realmRoles), adminRights: signedIn.adminRights, accountRoles: signedIn.accountRoles, csrf: TokenDigest.sha256Hex("csrf\n" + value), sessionHash: signedIn.sessionHash,
            realmSessionId: signedIn.realmSessionId)
    }

    /// Ends the portal session and the realm session behind it.
    func close(_ user: PortalUser) async throws {
        try await records.close(hash: user.sessionHash, realmSessionId: user.realmSessionId)
    }

    func cookie(_ value: String, realm: String, maxAge: Int) -> Cookie {
        Cookie(name: Self.cookieName, value: value, maxAge: maxAge, path: "/portal/\(realm)", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }
}
