import Domain
import Secrets
import Storage
import UseCases

/// A client proving who it is (RFC 6749 §2.3.1): confidential clients present their secret, compared in constant time;
/// public ones must not need one. Clients are cached by realm and `clientId`, with their sealed secrets, and the cache
/// empties on every node at any change; repeated failures are throttled per client and address.
public struct ClientSignIn: Sendable {
    let database: any Database
    let cache: ExpiringCache<ClientStore.Record>
    let secrets: SecretBox
    let throttle: FailureThrottle

    public init(database: any Database, secrets: SecretBox, throttle: FailureThrottle, clock: EpochClock, notifier: ChangeNotifier, cacheSeconds: Int) {
        self.database = database
        self.cache = ExpiringCache(clock: clock, maxAge: cacheSeconds)
        self.secrets = secrets
        self.throttle = throttle
        let cache = self.cache
        notifier.register { cache.removeAll() }
    }

    /// The client, authenticated by its secret when it is confidential. Throws `CredentialRefused.client`,
    /// `.clientSecret` or `.throttled`.
    public func callAsFunction(realm: String, clientId: String?, secret: String?, address: String) async throws -> Client {
        guard let clientId, Names.isValidIdentifier(clientId) else { throw CredentialRefused.client }
        let attempt = FailureThrottle.Attempt(credential: "client:\(realm)/\(clientId)", address: address)
        if let wait = throttle.retryAfter(attempt) { throw CredentialRefused.throttled(retryAfter: wait) }
        guard let record = try await record(realm: realm, clientId: clientId), record.client.enabled else {
            throttle.recordFailure(attempt)
            throw CredentialRefused.client
        }
        if record.client.isPublic { return record.client }
        guard let secret, let sealed = record.sealedSecret, ConstantTime.equals(try secrets.open(sealed), secret) else {
            throttle.recordFailure(attempt)
            throw CredentialRefused.clientSecret
        }
        throttle.recordSuccess(attempt)
        return record.client
    }

    /// A client as a browser flow names it, without its secret: the login page wants an enabled one (the token
    /// endpoint authenticates it later); logout accepts a disabled one's registered redirect, as before it was disabled.
    public func named(realm: String, clientId: String, enabledOnly: Bool = true) async throws -> Client? {
        guard Names.isValidIdentifier(clientId), let client = try await record(realm: realm, clientId: clientId)?.client else { return nil }
        return client.enabled || !enabledOnly ? client : nil
    }

    private func record(realm: String, clientId: String) async throws -> ClientStore.Record? {
        try await cache.value("\(realm)\u{0}\(clientId)") {
            try await database.read { sql in try await ClientStore(sql).find(realm: realm, clientId: clientId) }
        }
    }
}

/// A client's service account as its tokens describe it: the user and the roles it holds.
public struct ServiceAccount: Sendable {
    public let user: User
    public let roles: HeldRoles
}

/// Service accounts by client, cached between `client_credentials` requests: reads, never writes; any change empties
/// the cache on every node.
public struct ServiceAccounts: Sendable {
    let database: any Database
    let cache: ExpiringCache<ServiceAccount>

    public init(database: any Database, clock: EpochClock, notifier: ChangeNotifier, cacheSeconds: Int) {
        self.database = database
        self.cache = ExpiringCache(clock: clock, maxAge: cacheSeconds)
        let cache = self.cache
        notifier.register { cache.removeAll() }
    }

    /// The account of a client (by its internal id), or nil when it has none.
    public func account(of client: Client) async throws -> ServiceAccount? {
        try await cache.value(client.id) {
            try await database.read { sql -> ServiceAccount? in
                guard let user = try await UserStore(sql).serviceAccount(clientInternalId: client.id) else { return nil }
                return ServiceAccount(user: user, roles: try await EffectiveRoles.read(userId: user.id, on: sql))
            }
        }
    }
}
