import Domain
import Secrets
import Storage
import Tokens

/// Ends a sign-in on the login page (RFC 6749 §4.1.2): opens the session and stores its one-time code by SHA-256, in
/// one transaction. The code itself goes to the browser once and is never stored; it lives a minute.
public struct IssueAuthorizationCode: Sendable {
    let openSession: OpenSession
    let clock: EpochClock

    public init(openSession: OpenSession, clock: EpochClock) {
        self.openSession = openSession
        self.clock = clock
    }

    public static let lifetime = 60

    /// What the authorization request asked for, as the redemption will check it.
    public struct Request: Sendable {
        public var clientId: String
        public var redirectURI: String
        public var codeChallenge: String?
        /// As sent; `plain` when a challenge came without one (RFC 7636 §4.3).
        public var codeChallengeMethod: String?
        public var nonce: String?
        /// The granted scope, as sessions record it.
        public var scope: String
        /// Whether the session is an offline one (the scope asked for `offline_access` and the user may have it).
        public var offline: Bool

        public init(
            clientId: String, redirectURI: String, codeChallenge: String?, codeChallengeMethod: String?, nonce: String?, scope: String, offline: Bool = false
        ) {
            self.offline = offline
            self.clientId = clientId
            self.redirectURI = redirectURI
            self.codeChallenge = codeChallenge
            self.codeChallengeMethod = codeChallengeMethod
            self.nonce = nonce
            self.scope = scope
        }
    }

    public struct Issued: Sendable {
        public let code: String
        public let session: LoginSession
    }

    /// `provenWith`: the digest of the password hash the sign-in matched (see `OpenSession`).
    public func callAsFunction(user: User, realm: Realm, address: String?, provenWith passwordDigest: String?, _ request: Request) async throws -> Issued {
        let code = RandomToken.make()
        let stored = AuthorizationCode(
            codeHash: TokenDigest.sha256Hex(code), realm: realm.name, clientId: request.clientId, sessionId: "", redirectUri: request.redirectURI,
            codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallenge == nil ? nil : (request.codeChallengeMethod ?? "plain"),
            nonce: request.nonce, scope: request.scope, expiresAt: clock.now + Self.lifetime)
        let session = try await openSession(user: user, clientId: request.clientId, scope: request.scope, realm: realm, address: address, offline: request.offline, provenWith: passwordDigest, code: stored)
        return Issued(code: code, session: session)
    }
}
