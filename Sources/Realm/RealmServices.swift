import Authentication
import Domain
import Logging
import Storage

/// Everything the realm endpoints share, built once by the composition root.
public struct RealmServices: Sendable {
    public let database: any Database
    public let realms: RealmDirectory
    public let revocations: RevocationList
    public let issuers: IssuerURLs
    public let secrets: SecretBox
    public let passwords: PasswordHasher
    public let clock: EpochClock
    public let throttle: FailureThrottle
    public let verifier: AccessTokenVerifier
    let issuer: TokenIssuer
    /// Clients by realm and `clientId` (with their sealed secrets), for client authentication.
    let clients: ExpiringCache<ClientStore.Record>
    /// Service-account users and their roles by client, for `client_credentials`.
    let serviceAccounts: ExpiringCache<ServiceAccountSubject>

    public init(
        database: any Database, realms: RealmDirectory, revocations: RevocationList, issuers: IssuerURLs, secrets: SecretBox,
        passwords: PasswordHasher, clock: EpochClock, throttle: FailureThrottle
    ) {
        self.database = database
        self.realms = realms
        self.revocations = revocations
        self.issuers = issuers
        self.secrets = secrets
        self.passwords = passwords
        self.clock = clock
        self.throttle = throttle
        self.verifier = AccessTokenVerifier(realms: realms, revocations: revocations, issuers: issuers, clock: clock)
        self.issuer = TokenIssuer(issuers: issuers, clock: clock)
        self.clients = ExpiringCache(clock: clock, maxAge: Self.cacheSeconds)
        self.serviceAccounts = ExpiringCache(clock: clock, maxAge: Self.cacheSeconds)
    }

    /// How long another node's change to a client or its roles may take to be seen here.
    public static let cacheSeconds = 10

    /// Forgets cached clients and service accounts after a change made through this node.
    public func clientsChanged() {
        clients.removeAll()
        serviceAccounts.removeAll()
    }

    /// The realm's cache entry, or the 404 Keycloak gives for an unknown or disabled realm.
    func enabledRealm(_ name: String) async throws -> RealmDirectory.Entry {
        guard Names.isValidRealm(name), let entry = try await realms.entry(name), entry.realm.enabled else { throw OAuthError.realmNotFound }
        return entry
    }
}
