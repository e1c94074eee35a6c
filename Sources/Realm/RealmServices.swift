import Domain
import Federation
import HTTPKit
import Identity
import Logging
import Secrets
import Storage
import UseCases

/// What the realm's endpoints are built from, once, by the composition root. Endpoints take the few parts they use
/// (`RealmRoutes` hands them out); nothing here is passed whole into a grant.
public struct RealmServices: Sendable {
    public let database: any Database
    public let realms: RealmDirectory
    public let revocations: RevocationList
    public let issuers: IssuerURLs
    public let secrets: SecretBox
    public let passwords: PasswordHasher
    public let clock: EpochClock
    public let throttle: FailureThrottle
    public let changes: ChangeLog
    public let telemetry: Telemetry
    public let verifier: AccessTokenVerifier
    let issuer: TokenIssuer
    let clientSignIn: ClientSignIn
    let passwordSignIn: PasswordSignIn
    let serviceAccounts: ServiceAccounts
    let issueCode: IssueAuthorizationCode
    let sessions: LiveSessions
    let endSession: EndSession
    let revokeAccessToken: RevokeAccessToken

    public init(
        database: any Database, realms: RealmDirectory, revocations: RevocationList, issuers: IssuerURLs, secrets: SecretBox,
        passwords: PasswordHasher, clock: EpochClock, throttle: FailureThrottle, changes: ChangeLog, notifier: ChangeNotifier, telemetry: Telemetry,
        external: ExternalIssuers = .none, federatedUsers: FederatedUserSync? = nil
    ) {
        self.database = database
        self.realms = realms
        self.revocations = revocations
        self.issuers = issuers
        self.secrets = secrets
        self.passwords = passwords
        self.clock = clock
        self.throttle = throttle
        self.changes = changes
        self.telemetry = telemetry
        self.verifier = AccessTokenVerifier(
            realms: realms, revocations: revocations, issuers: issuers, clock: clock, external: external, federatedUsers: federatedUsers)
        self.issuer = TokenIssuer(issuers: issuers, clock: clock)
        self.clientSignIn = ClientSignIn(
            database: database, secrets: secrets, throttle: throttle, clock: clock, notifier: notifier, cacheSeconds: Self.cacheSeconds)
        self.passwordSignIn = PasswordSignIn(database: database, passwords: passwords, throttle: throttle)
        self.serviceAccounts = ServiceAccounts(database: database, clock: clock, notifier: notifier, cacheSeconds: Self.cacheSeconds)
        self.issueCode = IssueAuthorizationCode(database: database, clock: clock)
        self.sessions = LiveSessions(database: database, clock: clock)
        self.endSession = EndSession(database: database)
        self.revokeAccessToken = RevokeAccessToken(changes: changes, revocations: revocations)
    }

    /// The longest a cached client or service account lives, should a change announcement be missed.
    public static let cacheSeconds = 10

    var roles: EffectiveRoles { EffectiveRoles(database: database) }
    var lookup: RealmLookup { RealmLookup(realms: realms) }
    var clientAuthenticator: ClientAuthenticator { ClientAuthenticator(signIn: clientSignIn) }
    var refreshTokenCheck: RefreshTokenCheck { RefreshTokenCheck(issuers: issuers, clock: clock) }
}

/// The realm of a request's path, from the in-process directory, or the 404 Keycloak gives for an unknown or disabled
/// realm.
struct RealmLookup: Sendable {
    let realms: RealmDirectory

    func enabled(_ name: String) async throws -> RealmDirectory.Entry {
        guard Names.isValidRealm(name), let entry = try await realms.entry(name), entry.realm.enabled else { throw OAuthError.realmNotFound }
        return entry
    }
}
