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

    public init(
        enabled: Bool? = nil, accessTokenLifespan: Int? = nil, refreshTokenLifespan: Int? = nil, notBefore: Int? = nil, passwordPolicy: String? = nil
    ) throws(ValueError) {
        func checked(_ value: Int?, _ field: String, _ range: ClosedRange<Int>) throws(ValueError) -> Int? {
            guard let value else { return nil }
            guard range.contains(value) else {
                throw ValueError(field: field, message: "\(field) must be between \(range.lowerBound) and \(range.upperBound)", rule: .range)
            }
            return value
        }
        self.enabled = enabled
        self.accessTokenLifespan = try checked(accessTokenLifespan, "accessTokenLifespan", Realm.lifespanRange)
        self.refreshTokenLifespan = try checked(refreshTokenLifespan, "ssoSessionIdleTimeout", Realm.lifespanRange)
        self.notBefore = try checked(notBefore, "notBefore", Realm.notBeforeRange)
        self.passwordPolicy = try passwordPolicy.map { text throws(ValueError) in try PasswordPolicy(text) }
    }

    public func apply(to realm: inout Realm) {
        if let enabled { realm.enabled = enabled }
        if let accessTokenLifespan { realm.accessTokenLifespan = accessTokenLifespan }
        if let refreshTokenLifespan { realm.refreshTokenLifespan = refreshTokenLifespan }
        if let notBefore { realm.notBefore = notBefore }
        if let passwordPolicy { realm.passwordPolicy = passwordPolicy.description }
    }
}
