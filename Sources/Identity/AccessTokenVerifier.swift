import Domain
import Federation
import Foundation
import Storage
import Synchronization
import Tokens
import UseCases

/// Decides whether a bearer token is a live access token of one of our realms, or — for a federated realm — of its
/// external issuer (and then only of that issuer). Reads no storage: keys, realm settings and revocations come from
/// in-process caches; a federated user is recorded the first time their token is seen. The one exception is a token
/// issued in the very second a user was signed out (see `isPastCutOff`).
public struct AccessTokenVerifier: Sendable {
    let realms: RealmDirectory
    let revocations: RevocationList
    public let issuers: IssuerURLs
    public let external: ExternalIssuers
    let federatedUsers: FederatedUserSync?
    let sessions: LiveSessions
    let clock: EpochClock
    /// Tokens that already passed the signature and issuer checks: clients send the same token many times.
    let verified: VerifiedTokens

    public init(
        realms: RealmDirectory, revocations: RevocationList, issuers: IssuerURLs, sessions: LiveSessions, clock: EpochClock,
        external: ExternalIssuers = .none, federatedUsers: FederatedUserSync? = nil
    ) {
        self.sessions = sessions
        self.realms = realms
        self.revocations = revocations
        self.issuers = issuers
        self.external = external
        self.federatedUsers = federatedUsers
        self.clock = clock
        self.verified = VerifiedTokens()
    }

    /// Forgets verified tokens, so a disabled realm or a new not-before policy holds at once.
    public func forgetVerified() { verified.removeAll() }

    /// The token's claims, or a `TokenError` saying why it is refused. Expiry and revocation are checked on every call;
    /// the signature only the first time a token is seen.
    public func verify(_ token: String) async throws -> AccessTokenClaims {
        try await verified(token).claims
    }

    /// The principal a valid access token stands for.
    public func authenticate(_ token: String) async throws -> Principal {
        try await verified(token).principal
    }

    private func verified(_ token: String) async throws -> VerifiedTokens.Entry {
        let now = clock.now
        if let entry = verified.entry(token) {
            guard entry.claims.exp > now else { throw TokenError.expired }
            guard !revocations.contains(entry.claims.jti) else { throw TokenError.revoked }
            return entry
        }
        guard token.utf8.count <= AccessTokenClaims.maximumBytes else { throw TokenError.malformed }
        let issuer = try UnverifiedIssuer(token).iss
        let entry: VerifiedTokens.Entry
        if let external = external.issuer(forURL: issuer) {
            entry = try await verifyExternal(token, issuer: external, now: now)
        } else {
            let (claims, realm) = try await verifySignatureAndClaims(token, issuer: issuer, now: now)
            entry = VerifiedTokens.Entry(claims: claims, principal: Self.principal(from: claims, realm: realm))
        }
        verified.remember(token, entry, now: now)
        return entry
    }

    /// The claims and the realm whose key signed them. A federated realm's own keys sign nothing the API accepts.
    private func verifySignatureAndClaims(_ token: String, issuer: String, now: Int) async throws -> (AccessTokenClaims, String) {
        guard let realmName = issuers.realm(ofIssuer: issuer), external.issuer(forRealm: realmName) == nil else { throw TokenError.wrongIssuer }
        guard let entry = try await realms.entry(realmName), entry.realm.enabled else { throw TokenError.wrongIssuer }
        let claims = try await entry.keys.verify(token, as: AccessTokenClaims.self)
        guard claims.iss == issuers.issuer(realm: realmName) else { throw TokenError.wrongIssuer }
        guard claims.typ == "Bearer" else { throw TokenError.wrongType }
        guard claims.exp > now else { throw TokenError.expired }
        guard claims.iat <= now + 60, try await isPastCutOff(claims, entry) else { throw TokenError.notYetValid }
        guard !revocations.contains(claims.jti) else { throw TokenError.revoked }
        return (claims, realmName)
    }

    /// Whether the token was issued after the realm's and its user's not-before. A user's cut-off is the second after
    /// their sign-out (or password reset, or disabling), so a token of that very second is refused with the older ones
    /// — unless its session lives: the cut-off ended every session it meant to end (a sign-in under way then opens one
    /// only if it took the user's row lock first, and is then ended too — `OpenSession`), so a live one was opened
    /// after it, or is an offline session, which a sign-out leaves by design and which could mint a new token anyway.
    /// A script that signs a user out and in again within one second keeps working, as with Keycloak.
    private func isPastCutOff(_ claims: AccessTokenClaims, _ entry: RealmDirectory.Entry) async throws -> Bool {
        let notBefore = entry.notBefore(user: claims.sub)
        if claims.iat >= notBefore { return true }
        guard claims.iat == notBefore - 1, claims.iat >= entry.realm.notBefore, let sessionId = claims.sid else { return false }
        return try await sessions.session(id: sessionId) != nil
    }

    /// A token of a federated realm's issuer; its user is recorded here before the request goes on.
    private func verifyExternal(_ token: String, issuer: ExternalIssuerKeys, now: Int) async throws -> VerifiedTokens.Entry {
        let external = try await issuer.verify(token, now: now)
        let realmName = issuer.issuer.realm
        guard let entry = try await realms.entry(realmName), entry.realm.enabled else { throw TokenError.wrongIssuer }
        let iat = external.iat ?? now
        guard iat >= entry.notBefore(user: external.sub) else { throw TokenError.notYetValid }
        let username = (external.preferredUsername ?? external.sub).lowercased()
        let roles = external.roles
        var mapped = ClaimSet()
        mapped.realmRoles = roles.sorted()
        mapped.clientRoles = external.resourceAccess?.mapValues(\.roles)
        (mapped.emailVerified, mapped.preferredUsername, mapped.name) = (external.emailVerified ?? false, username, external.name)
        (mapped.givenName, mapped.familyName, mapped.email, mapped.acr) = (external.givenName, external.familyName, external.email, "1")
        let claims = AccessTokenClaims(
            TokenStamp(exp: external.exp, iat: iat, jti: external.jti ?? "", iss: external.iss, sub: external.sub, azp: external.azp ?? ""),
            sessionId: external.sid, claims: mapped, scope: external.scope ?? "")
        guard !revocations.contains(claims.jti) else { throw TokenError.revoked }
        let usable = await federatedUsers?.usable(
            FederatedUser(
                realm: realmName, id: external.sub, username: username, email: external.email, firstName: external.givenName,
                lastName: external.familyName, emailVerified: external.emailVerified ?? false, roles: roles),
            now: now)
        guard usable ?? true else { throw TokenError.userNotUsable }
        // The issuer's own `realm-management` roles administer its realm here too; its `nx1_admin`s hold `realm-admin`,
        // as ours do through the composite the issuer's realm may not have.
        var rights = AdminRight.rights(fromRoles: external.resourceAccess?[KeycloakRealmLayout.realmManagement]?.roles ?? [])
        if roles.contains(NexusOneRoles.admin) { rights.formUnion(AdminRight.allCases) }
        let principal = Principal(
            subject: external.sub, username: username, realm: realmName, roles: roles, clientId: external.azp, sessionId: external.sid, credential: .bearer,
            // The issuer's account console governs its users' accounts; here they manage their own as before.
            adminRights: rights, accountRoles: [KeycloakRealmLayout.manageAccount, KeycloakRealmLayout.viewProfile])
        return VerifiedTokens.Entry(claims: claims, principal: principal)
    }

    static func principal(from claims: AccessTokenClaims, realm: String) -> Principal {
        Principal(
            subject: claims.sub, username: claims.preferredUsername ?? claims.sub, realm: realm, roles: Set(claims.realmAccess?.roles ?? []),
            clientId: claims.azp,
            sessionId: claims.sid, credential: .bearer,
            adminRights: AdminRight.rights(fromRoles: claims.resourceAccess?[KeycloakRealmLayout.realmManagement]?.roles ?? []),
            accountRoles: Set(claims.resourceAccess?[KeycloakRealmLayout.account]?.roles ?? []))
    }
}

/// Verified access tokens and their claims, until a change empties the cache, the token expires, or the cache's bytes
/// pass their bound: a user with kilobytes of roles and names can then fill 64 MiB, not the machine.
final class VerifiedTokens: Sendable {
    /// A class so that a cache hit copies one reference, not the claims' and the principal's two dozen strings.
    final class Entry: Sendable {
        let claims: AccessTokenClaims
        let principal: Principal

        init(claims: AccessTokenClaims, principal: Principal) {
            self.claims = claims
            self.principal = principal
        }
    }

    private struct State {
        var entries: [String: (entry: Entry, bytes: Int)] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    private let byteLimit: Int

    init(byteLimit: Int = 64 << 20) { self.byteLimit = byteLimit }

    /// About what an entry holds: the token as the key, and its claims and principal, whose strings the token carries
    /// base64-encoded (so about its length again, twice).
    static func bytes(of token: String) -> Int { token.utf8.count * 3 + 512 }

    func entry(_ token: String) -> Entry? { state.withLock { $0.entries[token]?.entry } }

    /// Keeps `entry`; past the byte bound, expired entries go first, and everything if that leaves the cache more
    /// than three quarters full (so the next entries do not each pay for another sweep).
    func remember(_ token: String, _ entry: Entry, now: Int) {
        let bytes = Self.bytes(of: token)
        state.withLock { state in
            if state.bytes + bytes > byteLimit {
                state.entries = state.entries.filter { $0.value.entry.claims.exp > now }
                state.bytes = state.entries.values.reduce(0) { $0 + $1.bytes }
                if state.bytes + bytes > byteLimit / 4 * 3 {
                    state.entries.removeAll(keepingCapacity: true)
                    state.bytes = 0
                }
            }
            if let replaced = state.entries.updateValue((entry, bytes), forKey: token) { state.bytes -= replaced.bytes }
            state.bytes += bytes
        }
    }

    var byteCount: Int { state.withLock { $0.bytes } }
    var count: Int { state.withLock { $0.entries.count } }

    func removeAll() {
        state.withLock { state in
            state.entries.removeAll()
            state.bytes = 0
        }
    }
}

/// Only `iss`, read before verification to choose the realm's keys; nothing else is trusted from it.
package struct UnverifiedIssuer: Decodable {
    package var iss: String

    package init(_ token: String) throws {
        let bytes = token.utf8
        guard let first = bytes.firstIndex(of: UInt8(ascii: ".")),
            let second = bytes[bytes.index(after: first)...].firstIndex(of: UInt8(ascii: ".")),
            let data = Base64URL.decode(token[token.index(after: first)..<second]),
            let payload = try? JSONDecoder().decode(UnverifiedIssuer.self, from: data)
        else { throw TokenError.malformed }
        self = payload
    }
}
