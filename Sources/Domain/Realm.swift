/// A realm is one customer: its own users, clients, roles and signing keys (Keycloak's unit of tenancy).
public struct Realm: Sendable, Equatable, Codable {
    public var name: String
    public var enabled: Bool
    /// Seconds an access token lives; the NexusOne docs show 600.
    public var accessTokenLifespan: Int
    /// Seconds a refresh token (and an idle session) lives.
    public var refreshTokenLifespan: Int
    public var signingAlgorithm: SigningAlgorithm
    /// Tokens issued before this epoch second are refused ("not-before policy"); 0 means none.
    public var notBefore: Int
    public var createdAt: Int
    /// Keycloak's `passwordPolicy`, as `PasswordPolicy.description` writes it; empty for none.
    public var passwordPolicy: String
    public var bruteForce: BruteForcePolicy
    public var events: EventsConfig
    public var requiredActions: RequiredActions
    public var otpPolicy: OTPPolicy
    /// Keycloak's `duplicateEmailsAllowed`: off (the default), no two users of the realm share an e-mail address
    /// (compared without case).
    public var duplicateEmailsAllowed: Bool

    public init(
        name: String,
        enabled: Bool = true,
        accessTokenLifespan: Int = 600,
        refreshTokenLifespan: Int = 1800,
        signingAlgorithm: SigningAlgorithm = .rs256,
        notBefore: Int = 0,
        createdAt: Int,
        passwordPolicy: String = "",
        bruteForce: BruteForcePolicy = BruteForcePolicy(),
        events: EventsConfig = EventsConfig(),
        requiredActions: RequiredActions = RequiredActions(),
        otpPolicy: OTPPolicy = OTPPolicy(),
        duplicateEmailsAllowed: Bool = false
    ) {
        self.duplicateEmailsAllowed = duplicateEmailsAllowed
        self.name = name
        self.enabled = enabled
        self.accessTokenLifespan = accessTokenLifespan
        self.refreshTokenLifespan = refreshTokenLifespan
        self.signingAlgorithm = signingAlgorithm
        self.notBefore = notBefore
        self.createdAt = createdAt
        self.passwordPolicy = passwordPolicy
        self.bruteForce = bruteForce
        self.events = events
        self.requiredActions = requiredActions
        self.otpPolicy = otpPolicy
    }

    /// The realm's policy. Stored text is always one `PasswordPolicy` wrote; should it ever not parse (a newer version
    /// wrote it), passwords still need 8 characters rather than none.
    public var policy: PasswordPolicy {
        (try? PasswordPolicy(passwordPolicy)) ?? PasswordPolicy(rules: [.length(8)])
    }

    public static let master = "master"

    /// Seconds an unused offline session lives (Keycloak's default `offlineSessionIdleTimeout`, 30 days); each refresh
    /// starts the time again.
    public static let offlineSessionIdleTimeout = 2_592_000

    /// Seconds a session lives from its last refresh: offline ones for 30 days, the others for the realm's lifespan.
    public func sessionLifespan(offline: Bool) -> Int { offline ? Self.offlineSessionIdleTimeout : refreshTokenLifespan }

    /// Seconds a token or session may be set to live: one second to one year. Keycloak's console offers at most days;
    /// a year keeps `iat + lifespan` far from any overflow.
    public static let lifespanRange = 1...31_536_000
    /// A not-before policy is an epoch second from 0 (none) to the end of year 9999.
    public static let notBeforeRange = 0...253_402_300_799
}

/// The asymmetric algorithms a realm may sign access and ID tokens with.
public enum SigningAlgorithm: String, Sendable, Codable, CaseIterable {
    case rs256 = "RS256"
    case es256 = "ES256"
}

/// The algorithms of a realm's keys: RS256 and ES256 sign access and ID tokens (`SigningAlgorithm`); HS256 signs
/// refresh tokens and is never published, as in Keycloak.
public enum KeyAlgorithm: String, Sendable, Codable, CaseIterable {
    case rs256 = "RS256"
    case es256 = "ES256"
    case hs256 = "HS256"
}

extension SigningAlgorithm {
    public var keyAlgorithm: KeyAlgorithm {
        switch self {
        case .rs256: .rs256
        case .es256: .es256
        }
    }
}
