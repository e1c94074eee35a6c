import Domain
import HTTPKit
import Identity
import Secrets
import UseCases

/// What the realm's endpoints are built from, made once by the composition root: the identity capability, the session
/// and administration use cases, and what the protocol itself needs (the realm directory, issuer URLs, the at-rest key
/// for sealed pending password changes). Endpoints take the few parts they use (`RealmRoutes` hands them out).
public struct RealmServices: Sendable {
    public let realms: RealmDirectory
    public let issuers: IssuerURLs
    public let secrets: SecretBox
    public let clock: EpochClock
    public let telemetry: Telemetry
    public let credentials: CredentialChecks
    let sessions: SessionUseCases
    let administration: RealmAdministration
    let issuer: TokenIssuer

    public init(
        realms: RealmDirectory, issuers: IssuerURLs, secrets: SecretBox, clock: EpochClock, telemetry: Telemetry, credentials: CredentialChecks,
        sessions: SessionUseCases, administration: RealmAdministration
    ) {
        self.realms = realms
        self.issuers = issuers
        self.secrets = secrets
        self.clock = clock
        self.telemetry = telemetry
        self.credentials = credentials
        self.sessions = sessions
        self.administration = administration
        self.issuer = TokenIssuer(issuers: issuers, clock: clock, plans: credentials.claimPlans)
    }

    public var verifier: AccessTokenVerifier { credentials.accessTokens }
    var lookup: RealmLookup { RealmLookup(realms: realms) }
    var clientAuthenticator: ClientAuthenticator { ClientAuthenticator(signIn: credentials.clients) }
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
