import Domain
import Federation
import Secrets
import Storage
import UseCases

/// The identity capability, whole: every credential the server accepts becomes a user or a `Principal` with its
/// effective roles here — bearer tokens (ours or a federated realm's issuer's), PSKs, client secrets, passwords, and
/// service accounts. What is read on every request (token checks, keys, clients, service accounts) is cached and emptied
/// through the change log; passwords and roles at sign-in are read fresh. Made once by the composition root; front ends
/// take the checks they use.
public struct CredentialChecks: Sendable {
    public let accessTokens: AccessTokenVerifier
    public let psks: PSKVerifier
    public let clients: ClientSignIn
    public let passwords: PasswordSignIn
    public let secondFactor: SecondFactorCheck
    public let serviceAccounts: ServiceAccounts
    public let roles: EffectiveRoles
    /// Which claims each client's tokens carry (its client scopes and mappers).
    public let claimPlans: ClientClaimPlans

    /// The longest a cached client or service account lives, should a change announcement be missed.
    public static let cacheSeconds = 10

    public init(
        database: any Database, realms: RealmDirectory, revocations: RevocationList, issuers: IssuerURLs, secrets: SecretBox, hasher: PasswordHasher,
        throttle: FailureThrottle, clock: EpochClock, notifier: ChangeNotifier, telemetry: Telemetry, external: ExternalIssuers = .none,
        federatedUsers: FederatedUserSync? = nil
    ) {
        accessTokens = AccessTokenVerifier(
            realms: realms, revocations: revocations, issuers: issuers, sessions: LiveSessions(database: database, clock: clock), clock: clock,
            external: external, federatedUsers: federatedUsers)
        psks = PSKVerifier(database: database, clock: clock, telemetry: telemetry)
        clients = ClientSignIn(database: database, secrets: secrets, throttle: throttle, clock: clock, notifier: notifier, cacheSeconds: Self.cacheSeconds)
        let changes = ChangeLog(database: database, notifier: notifier)
        let failures = SignInFailures(changes: changes, clock: clock)
        passwords = PasswordSignIn(database: database, passwords: hasher, throttle: throttle, failures: failures, clock: clock)
        secondFactor = SecondFactorCheck(
            twoFactor: TwoFactor(changes: changes, secrets: secrets, clock: clock), database: database, throttle: throttle, failures: failures, clock: clock)
        serviceAccounts = ServiceAccounts(database: database, clock: clock, notifier: notifier, cacheSeconds: Self.cacheSeconds)
        roles = EffectiveRoles(database: database)
        claimPlans = ClientClaimPlans(database: database, clock: clock, notifier: notifier, cacheSeconds: Self.cacheSeconds)
    }
}
