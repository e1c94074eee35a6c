import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import Synchronization
import Tokens

/// One external issuer's signing keys: fetched through discovery, kept while the issuer is unreachable, fetched again
/// when a token names a key we do not know (at most once per `refetchInterval`, however many such tokens arrive).
public final class ExternalIssuerKeys: Sendable {
    public let issuer: ExternalIssuer
    private let documents: IssuerDocuments
    private let logger: Logger
    private let state = Mutex(State())
    /// Serialises fetches: concurrent callers wait for the one in flight instead of starting their own.
    private let fetchGate = FetchGate()

    /// Seconds between fetches caused by unknown `kid`s: a stream of forged tokens cannot make us hammer the issuer.
    static let refetchInterval = 10
    /// Seconds a token may be past `exp` (clock skew between us and the issuer).
    static let leeway = 30
    static let algorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]

    struct State {
        var keys: JWTKeyCollection?
        /// kid → the algorithm the key is for (its JWK `alg`, or its type's family).
        var kids: [String: KeyUse] = [:]
        var discovery: IssuerDocuments.Discovery?
        var lastAttempt = Int.min / 2
        var lastSuccess: Int?
        var lastError: String?
    }

    /// The one algorithm a key verifies.
    package enum KeyUse: Sendable, Equatable {
        case algorithm(String)
    }

    init(issuer: ExternalIssuer, client: HTTPClient, logger: Logger) {
        self.issuer = issuer
        self.documents = IssuerDocuments(client: client)
        self.logger = logger
    }

    /// Checks signature, issuer, type and expiry. `now` is epoch seconds.
    public func verify(_ token: String, now: Int) async throws -> ExternalAccessClaims {
        let header = try TokenHeader(token)
        guard let alg = header.alg, Self.algorithms.contains(alg), let kid = header.kid else { throw TokenError.wrongAlgorithm }
        var snapshot = state.withLock { ($0.keys, $0.kids[kid]) }
        if snapshot.1 == nil {
            await refresh(now: now, force: false)
            snapshot = state.withLock { ($0.keys, $0.kids[kid]) }
        }
        guard let keys = snapshot.0, let use = snapshot.1 else { throw TokenError.unknownKey }
        guard use == .algorithm(alg) else { throw TokenError.wrongAlgorithm }
        let claims: ExternalAccessClaims
        do {
            claims = try await keys.verify(token, as: ExternalAccessClaims.self)
        } catch {
            throw TokenError.badSignature
        }
        guard claims.iss == issuer.url else { throw TokenError.wrongIssuer }
        // Keycloak's access tokens say `typ: Bearer`; RFC 9068 access tokens say so in the header instead.
        guard claims.typ == "Bearer" || header.typ?.lowercased() == "at+jwt" else { throw TokenError.wrongType }
        guard claims.exp > now - Self.leeway else { throw TokenError.expired }
        if let iat = claims.iat, iat > now + 60 { throw TokenError.notYetValid }
        return claims
    }

    /// Fetches discovery and keys. Unless `force`, does nothing if the last attempt was under `refetchInterval` ago.
    public func refresh(now: Int, force: Bool) async {
        // Not due: answer at once instead of queueing behind a fetch in flight (forged kids arrive in floods).
        guard force || state.withLock({ now - $0.lastAttempt >= Self.refetchInterval }) else { return }
        await fetchGate.run {
            let due = self.state.withLock { state in
                guard force || now - state.lastAttempt >= Self.refetchInterval else { return false }
                state.lastAttempt = now
                return true
            }
            guard due else { return }
            do {
                let (discovery, keys, kids) = try await IssuerDocuments.withDeadline(IssuerDocuments.fetchDeadline) {
                    let discovery = try await self.documents.discovery(of: self.issuer.url)
                    let (keys, kids) = try await Self.keys(from: try await self.documents.get(discovery.jwksURI))
                    return (discovery, keys, kids)
                }
                let recovered = self.state.withLock { state in
                    let recovered = state.lastError != nil
                    state = State(keys: keys, kids: kids, discovery: discovery, lastAttempt: now, lastSuccess: now, lastError: nil)
                    return recovered
                }
                self.logger.log(level: recovered ? .notice : .info, "external issuer keys fetched", metadata: ["issuer": "\(self.issuer.url)", "keys": "\(kids.count)"])
            } catch {
                let message = "\(error)"
                let hasKeys = self.state.withLock { state in
                    state.lastError = message
                    return state.keys != nil
                }
                self.logger.warning(
                    "external issuer unreachable", metadata: ["issuer": "\(self.issuer.url)", "error": "\(message)", "cached_keys": "\(hasKeys)"])
            }
        }
    }

    /// The signing keys of a JWKS; encryption keys and algorithms we do not verify are left out.
    package static func keys(from data: Data) async throws -> (JWTKeyCollection, [String: KeyUse]) {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let list = object["keys"] as? [[String: Any]] else {
            throw IssuerDocuments.FetchError("JWKS without keys")
        }
        let collection = JWTKeyCollection()
        var kids: [String: KeyUse] = [:]
        for entry in list {
            guard let kid = entry["kid"] as? String, (entry["use"] as? String ?? "sig") == "sig", let kty = entry["kty"] as? String else { continue }
            // A key without `alg` gets one here, from its type (RSA: RS256; EC: its curve's), before jwt-kit sees it:
            // jwt-kit would otherwise take the first token's header `alg` for the key, and keep it.
            var entry = entry
            if entry["alg"] == nil {
                switch (kty, entry["crv"] as? String) {
                case ("RSA", _): entry["alg"] = "RS256"
                case ("EC", "P-256"): entry["alg"] = "ES256"
                case ("EC", "P-384"): entry["alg"] = "ES384"
                default: continue
                }
            }
            guard let alg = entry["alg"] as? String, algorithms.contains(alg) else { continue }
            let use = KeyUse.algorithm(alg)
            guard let jwk = try? JSONDecoder().decode(JWK.self, from: JSONSerialization.data(withJSONObject: entry)),
                (try? await collection.add(jwk: jwk)) != nil
            else { continue }
            kids[kid] = use
        }
        guard !kids.isEmpty else { throw IssuerDocuments.FetchError("JWKS without a signing key we can verify") }
        return (collection, kids)
    }

    /// What `/health/ready` says about this issuer.
    public var status: Status {
        state.withLock { state in
            Status(issuer: issuer.url, realm: issuer.realm, keys: state.kids.count, lastSuccess: state.lastSuccess, reachable: state.lastError == nil)
        }
    }

    public struct Status: Sendable, Encodable {
        public var issuer: String
        public var realm: String
        public var keys: Int
        public var lastSuccess: Int?
        /// False while the last fetch failed: the API works from the cached keys meanwhile (the log says why; this
        /// unauthenticated answer does not).
        public var reachable: Bool

        enum CodingKeys: String, CodingKey {
            case issuer, realm, keys, reachable
            case lastSuccess = "last_success"
        }
    }

    /// The issuer's authorization endpoint (the portal sends browsers there to sign in), from discovery.
    public func authorizationEndpoint(now: Int) async throws -> String {
        guard let endpoint = try await discovery(now: now).authorizationEndpoint else { throw IssuerDocuments.FetchError("no authorization_endpoint") }
        return endpoint
    }

    /// Redeems an authorization code at the issuer's token endpoint for a public client with PKCE; the access token,
    /// which the caller verifies like any other. Nil when the issuer refuses the code.
    public func redeem(code: String, verifier: String, redirectURI: String, clientId: String, now: Int) async throws -> String? {
        guard let endpoint = try await discovery(now: now).tokenEndpoint else { throw IssuerDocuments.FetchError("no token_endpoint") }
        let answer = try await documents.postForm(
            endpoint,
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("client_id", clientId), ("code_verifier", verifier)])
        guard answer.status == 200, let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any] else { return nil }
        return object["access_token"] as? String
    }

    private func discovery(now: Int) async throws -> IssuerDocuments.Discovery {
        if let known = state.withLock({ $0.discovery }) { return known }
        await refresh(now: now, force: false)
        guard let known = state.withLock({ $0.discovery }) else { throw IssuerDocuments.FetchError("issuer \(issuer.url) unreachable") }
        return known
    }
}

/// One async body at a time.
private actor FetchGate {
    private var running = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run(_ body: @Sendable () async -> Void) async {
        while running { await withCheckedContinuation { waiters.append($0) } }
        running = true
        await body()
        running = false
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}
