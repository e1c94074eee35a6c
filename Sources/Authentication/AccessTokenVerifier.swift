import Domain
import Foundation
import Tokens

/// Decides whether a bearer token is a live access token of one of our realms. Reads no storage: keys, realm
/// settings and revocations come from in-process caches.
public struct AccessTokenVerifier: Sendable {
    let realms: RealmDirectory
    let revocations: RevocationList
    public let issuers: IssuerURLs
    let clock: EpochClock

    public init(realms: RealmDirectory, revocations: RevocationList, issuers: IssuerURLs, clock: EpochClock) {
        self.realms = realms
        self.revocations = revocations
        self.issuers = issuers
        self.clock = clock
    }

    /// The token's claims, or a `TokenError` saying why it is refused.
    public func verify(_ token: String) async throws -> AccessTokenClaims {
        guard token.utf8.count <= 16_384, let realmName = issuers.realm(ofIssuer: try UnverifiedIssuer(token).iss) else {
            throw TokenError.wrongIssuer
        }
        guard let entry = try await realms.entry(realmName), entry.realm.enabled else { throw TokenError.wrongIssuer }
        let claims = try await entry.keys.verify(token, as: AccessTokenClaims.self)
        let now = clock.now
        guard claims.iss == issuers.issuer(realm: realmName) else { throw TokenError.wrongIssuer }
        guard claims.typ == "Bearer" else { throw TokenError.wrongType }
        guard claims.exp > now else { throw TokenError.expired }
        guard claims.iat <= now + 60, claims.iat >= entry.realm.notBefore else { throw TokenError.notYetValid }
        guard !revocations.contains(claims.jti) else { throw TokenError.revoked }
        return claims
    }

    public static func principal(from claims: AccessTokenClaims, realm: String) -> Principal {
        Principal(
            subject: claims.sub, username: claims.preferredUsername, realm: realm, roles: Set(claims.realmAccess.roles), clientId: claims.azp,
            sessionId: claims.sid, credential: .bearer)
    }
}

/// Only `iss`, read before verification to choose the realm's keys; nothing else is trusted from it.
struct UnverifiedIssuer: Decodable {
    var iss: String

    init(_ token: String) throws {
        let bytes = token.utf8
        guard let first = bytes.firstIndex(of: UInt8(ascii: ".")),
            let second = bytes[bytes.index(after: first)...].firstIndex(of: UInt8(ascii: ".")),
            let data = Base64URL.decode(token[token.index(after: first)..<second]),
            let payload = try? JSONDecoder().decode(UnverifiedIssuer.self, from: data)
        else { throw TokenError.malformed }
        self = payload
    }
}
