import Domain

/// The settings of a realm an administrator may change, each range-checked when made (so nothing out of range is ever
/// stored, and no token expiry can overflow).
public struct RealmSettings: Sendable, Equatable {
    public var enabled: Bool?
    public var accessTokenLifespan: Int?
    /// Keycloak's `ssoSessionIdleTimeout`: how long a refresh token and an idle session live.
    public var refreshTokenLifespan: Int?
    public var notBefore: Int?
    /// Keycloak's `passwordPolicy`; an empty text removes the policy.
    public var passwordPolicy: PasswordPolicy?
    /// Brute-force detection, field by field (`bruteForceProtected`, `failureFactor`, …).
    public var bruteForce = BruteForceChange()
    /// Events settings (`PUT …/events/config`): only the fields given change.
    public var events: EventsChange?
    /// Keycloak's `duplicateEmailsAllowed`.
    public var duplicateEmailsAllowed: Bool?
    /// The one-time-password policy, field by field.
    public var otp = OTPChange()
    /// One required action as an administrator set it (`PUT …/authentication/required-actions/{alias}`).
    public var requiredAction: RequiredAction?
    /// Keycloak's fields this server keeps without acting on them (`RealmDocuments`).
    public var keptSettings: KeptSettings?

    public init(
        enabled: Bool? = nil, accessTokenLifespan: Int? = nil, refreshTokenLifespan: Int? = nil, notBefore: Int? = nil, passwordPolicy: String? = nil
    ) throws(ValueError) {
        self.enabled = enabled
        self.accessTokenLifespan = try RangeCheck.checked(accessTokenLifespan, "accessTokenLifespan", Realm.lifespanRange)
        self.refreshTokenLifespan = try RangeCheck.checked(refreshTokenLifespan, "ssoSessionIdleTimeout", Realm.lifespanRange)
        self.notBefore = try RangeCheck.checked(notBefore, "notBefore", Realm.notBeforeRange)
        self.passwordPolicy = try passwordPolicy.map { text throws(ValueError) in try PasswordPolicy(text) }
    }

    public func apply(to realm: inout Realm) {
        if let enabled { realm.enabled = enabled }
        if let accessTokenLifespan { realm.accessTokenLifespan = accessTokenLifespan }
        if let refreshTokenLifespan { realm.refreshTokenLifespan = refreshTokenLifespan }
        if let notBefore { realm.notBefore = notBefore }
        if let passwordPolicy { realm.passwordPolicy = passwordPolicy.description }
        bruteForce.apply(to: &realm.bruteForce)
        otp.apply(to: &realm.otpPolicy)
        if let duplicateEmailsAllowed { realm.duplicateEmailsAllowed = duplicateEmailsAllowed }
        events?.apply(to: &realm.events)
        if let requiredAction {
            realm.requiredActions.changed[requiredAction.alias] = requiredAction
        }
    }
}

/// Changes to a realm's brute-force detection, each range-checked (a 400 naming Keycloak's field).
public struct BruteForceChange: Sendable, Equatable {
    public var enabled: Bool?
    public var permanentLockout: Bool?
    public var failureFactor: Int?
    public var waitIncrementSeconds: Int?
    public var maxFailureWaitSeconds: Int?
    public var maxDeltaTimeSeconds: Int?
    public var minimumQuickLoginWaitSeconds: Int?
    public var quickLoginCheckMilliSeconds: Int?

    public init() {}

    /// Keycloak's field names, with the values an administrator sent.
    public init(
        bruteForceProtected: Bool?, permanentLockout: Bool?, failureFactor: Int?, waitIncrementSeconds: Int?, maxFailureWaitSeconds: Int?,
        maxDeltaTimeSeconds: Int?, minimumQuickLoginWaitSeconds: Int?, quickLoginCheckMilliSeconds: Int?
    ) throws(ValueError) {
        enabled = bruteForceProtected
        self.permanentLockout = permanentLockout
        self.failureFactor = try RangeCheck.checked(failureFactor, "failureFactor", BruteForcePolicy.countRange)
        self.waitIncrementSeconds = try RangeCheck.checked(waitIncrementSeconds, "waitIncrementSeconds", BruteForcePolicy.secondsRange)
        self.maxFailureWaitSeconds = try RangeCheck.checked(maxFailureWaitSeconds, "maxFailureWaitSeconds", BruteForcePolicy.secondsRange)
        self.maxDeltaTimeSeconds = try RangeCheck.checked(maxDeltaTimeSeconds, "maxDeltaTimeSeconds", BruteForcePolicy.secondsRange)
        self.minimumQuickLoginWaitSeconds = try RangeCheck.checked(minimumQuickLoginWaitSeconds, "minimumQuickLoginWaitSeconds", BruteForcePolicy.secondsRange)
        self.quickLoginCheckMilliSeconds = try RangeCheck.checked(quickLoginCheckMilliSeconds, "quickLoginCheckMilliSeconds", BruteForcePolicy.quickCheckRange)
    }

    func apply(to policy: inout BruteForcePolicy) {
        if let enabled { policy.enabled = enabled }
        if let permanentLockout { policy.permanentLockout = permanentLockout }
        if let failureFactor { policy.failureFactor = failureFactor }
        if let waitIncrementSeconds { policy.waitIncrementSeconds = waitIncrementSeconds }
        if let maxFailureWaitSeconds { policy.maxFailureWaitSeconds = maxFailureWaitSeconds }
        if let maxDeltaTimeSeconds { policy.maxDeltaTimeSeconds = maxDeltaTimeSeconds }
        if let minimumQuickLoginWaitSeconds { policy.minimumQuickLoginWaitSeconds = minimumQuickLoginWaitSeconds }
        if let quickLoginCheckMilliSeconds { policy.quickLoginCheckMilliSeconds = quickLoginCheckMilliSeconds }
    }
}

/// Changes to a realm's events settings (Keycloak's `RealmEventsConfigRepresentation`, partially): types must be
/// Keycloak's words, the expiration one second to a year.
public struct EventsChange: Sendable, Equatable {
    public var eventsEnabled: Bool?
    /// Present with nil: keep events for ever.
    public var eventsExpiration: Int??
    public var eventsListeners: [String]?
    public var enabledEventTypes: [String]?
    public var adminEventsEnabled: Bool?
    public var adminEventsDetailsEnabled: Bool?

    public init(
        eventsEnabled: Bool?, eventsExpiration: Int??, eventsListeners: [String]?, enabledEventTypes: [String]?, adminEventsEnabled: Bool?,
        adminEventsDetailsEnabled: Bool?
    ) throws(ValueError) {
        if let expiration = eventsExpiration ?? nil, !BruteForcePolicy.secondsRange.contains(expiration) {
            throw ValueError(field: "eventsExpiration", message: "eventsExpiration must be between 1 and 31536000", rule: .range)
        }
        if let types = enabledEventTypes, types.count > 200 || !types.allSatisfy(EventsConfig.isEventType) {
            throw ValueError(field: "enabledEventTypes", message: "enabledEventTypes must be event types such as LOGIN", rule: .pattern)
        }
        if let listeners = eventsListeners, listeners.count > 20 || !listeners.allSatisfy(Names.isValidIdentifier) {
            throw ValueError(field: "eventsListeners", message: "eventsListeners must be listener names such as jboss-logging", rule: .pattern)
        }
        (self.eventsEnabled, self.eventsExpiration, self.eventsListeners) = (eventsEnabled, eventsExpiration, eventsListeners)
        (self.enabledEventTypes, self.adminEventsEnabled, self.adminEventsDetailsEnabled) = (enabledEventTypes, adminEventsEnabled, adminEventsDetailsEnabled)
    }

    func apply(to config: inout EventsConfig) {
        if let eventsEnabled { config.eventsEnabled = eventsEnabled }
        if let eventsExpiration { config.eventsExpiration = eventsExpiration }
        if let eventsListeners { config.eventsListeners = eventsListeners }
        if let enabledEventTypes { config.enabledEventTypes = enabledEventTypes }
        if let adminEventsEnabled { config.adminEventsEnabled = adminEventsEnabled }
        if let adminEventsDetailsEnabled { config.adminEventsDetailsEnabled = adminEventsDetailsEnabled }
    }
}

/// Changes to a realm's one-time-password policy. Only time-based codes are served (`otpPolicyType` `totp`), each code
/// works once (`otpPolicyCodeReusable` `true` is refused), 6 or 8 digits, a period of 15–300 s, a look-around of 0–10.
public struct OTPChange: Sendable, Equatable {
    public var algorithm: OTPAlgorithm?
    public var digits: Int?
    public var period: Int?
    public var lookAroundWindow: Int?
    public var requiredForRoles: [String]?

    public init() {}

    public init(
        type: String?, algorithm: String?, digits: Int?, period: Int?, lookAroundWindow: Int?, codeReusable: Bool?, requiredForRoles: [String]?
    ) throws(ValueError) {
        func refuse(_ field: String, _ message: String) -> ValueError { ValueError(field: field, message: message, rule: .range) }
        if let type, type != "totp" { throw refuse("otpPolicyType", "otpPolicyType must be totp: counter-based codes are not served") }
        if codeReusable == true { throw refuse("otpPolicyCodeReusable", "otpPolicyCodeReusable must be false: each code works once") }
        if let algorithm {
            guard let known = OTPAlgorithm(rawValue: algorithm) else { throw refuse("otpPolicyAlgorithm", "otpPolicyAlgorithm must be HmacSHA1, HmacSHA256 or HmacSHA512") }
            self.algorithm = known
        }
        if let digits, !OTPPolicy.digitsAllowed.contains(digits) { throw refuse("otpPolicyDigits", "otpPolicyDigits must be 6 or 8") }
        if let period, !OTPPolicy.periodRange.contains(period) { throw refuse("otpPolicyPeriod", "otpPolicyPeriod must be between 15 and 300") }
        if let lookAroundWindow, !OTPPolicy.lookAroundRange.contains(lookAroundWindow) {
            throw refuse("otpPolicyLookAheadWindow", "otpPolicyLookAheadWindow must be between 0 and 10")
        }
        if let roles = requiredForRoles, roles.count > 100 || !roles.allSatisfy(Names.isValidIdentifier) {
            throw ValueError(field: "otpRequiredForRoles", message: "otpRequiredForRoles must be role names", rule: .pattern)
        }
        (self.digits, self.period, self.lookAroundWindow, self.requiredForRoles) = (digits, period, lookAroundWindow, requiredForRoles)
    }

    func apply(to policy: inout OTPPolicy) {
        if let algorithm { policy.algorithm = algorithm }
        if let digits { policy.digits = digits }
        if let period { policy.period = period }
        if let lookAroundWindow { policy.lookAroundWindow = lookAroundWindow }
        if let requiredForRoles { policy.requiredForRoles = Array(Set(requiredForRoles)).sorted() }
    }
}

/// A setting that must lie within a range: absent stays absent, out of range is a 400 naming Keycloak's field.
enum RangeCheck {
    static func checked(_ value: Int?, _ field: String, _ range: ClosedRange<Int>) throws(ValueError) -> Int? {
        guard let value else { return nil }
        guard range.contains(value) else {
            throw ValueError(field: field, message: "\(field) must be between \(range.lowerBound) and \(range.upperBound)", rule: .range)
        }
        return value
    }
}
