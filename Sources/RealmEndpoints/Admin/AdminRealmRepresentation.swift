import Domain
import Foundation
import HTTPKit
import UseCases

/// Keycloak's `RealmRepresentation`: the fields this server acts on are these members; every other field of Keycloak's
/// that a tool sends is kept as given (`keptFields`) and returned beside them, so what a tool wrote reads back the same.
/// A field Keycloak does not know is a 400 `Unrecognized field`, as there.
package struct RealmRepresentation: Codable {
    var id: String?
    var realm: String?
    var enabled: Bool?
    var accessTokenLifespan: Int?
    var ssoSessionIdleTimeout: Int?
    var notBefore: Int?
    var defaultSignatureAlgorithm: String?
    /// Absent when the realm has no policy, as Keycloak leaves it out.
    var passwordPolicy: String?
    var bruteForceProtected: Bool?
    var permanentLockout: Bool?
    var failureFactor: Int?
    var waitIncrementSeconds: Int?
    var maxFailureWaitSeconds: Int?
    var maxDeltaTimeSeconds: Int?
    var minimumQuickLoginWaitSeconds: Int?
    var quickLoginCheckMilliSeconds: Int?
    var otpPolicyType: String?
    var otpPolicyAlgorithm: String?
    var otpPolicyInitialCounter: Int?
    var otpPolicyDigits: Int?
    var otpPolicyLookAheadWindow: Int?
    var otpPolicyPeriod: Int?
    var otpPolicyCodeReusable: Bool?
    var otpSupportedApplications: [String]?
    /// NexusOne's: realm roles whose holders must sign in with a code (Keycloak does this with a conditional flow).
    var otpRequiredForRoles: [String]?
    var duplicateEmailsAllowed: Bool?
    var eventsEnabled: Bool?
    var eventsExpiration: Int?
    var eventsListeners: [String]?
    var enabledEventTypes: [String]?
    var adminEventsEnabled: Bool?
    var adminEventsDetailsEnabled: Bool?

    init(_ realm: Realm) {
        id = realm.name
        self.realm = realm.name
        enabled = realm.enabled
        accessTokenLifespan = realm.accessTokenLifespan
        ssoSessionIdleTimeout = realm.refreshTokenLifespan
        notBefore = realm.notBefore
        defaultSignatureAlgorithm = realm.signingAlgorithm.rawValue
        passwordPolicy = realm.passwordPolicy.isEmpty ? nil : realm.passwordPolicy
        let bruteForce = realm.bruteForce
        (bruteForceProtected, permanentLockout, failureFactor) = (bruteForce.enabled, bruteForce.permanentLockout, bruteForce.failureFactor)
        (waitIncrementSeconds, maxFailureWaitSeconds, maxDeltaTimeSeconds) =
            (bruteForce.waitIncrementSeconds, bruteForce.maxFailureWaitSeconds, bruteForce.maxDeltaTimeSeconds)
        (minimumQuickLoginWaitSeconds, quickLoginCheckMilliSeconds) = (bruteForce.minimumQuickLoginWaitSeconds, bruteForce.quickLoginCheckMilliSeconds)
        let otp = realm.otpPolicy
        (otpPolicyType, otpPolicyAlgorithm, otpPolicyInitialCounter, otpPolicyDigits) = ("totp", otp.algorithm.rawValue, 0, otp.digits)
        (otpPolicyLookAheadWindow, otpPolicyPeriod, otpPolicyCodeReusable) = (otp.lookAroundWindow, otp.period, false)
        otpSupportedApplications = ["totpAppFreeOTPName", "totpAppGoogleName", "totpAppMicrosoftAuthenticatorName"]
        otpRequiredForRoles = otp.requiredForRoles
        duplicateEmailsAllowed = realm.duplicateEmailsAllowed
        let events = realm.events
        (eventsEnabled, eventsExpiration, eventsListeners) = (events.eventsEnabled, events.eventsExpiration, events.eventsListeners)
        (enabledEventTypes, adminEventsEnabled, adminEventsDetailsEnabled) = (events.enabledEventTypes, events.adminEventsEnabled, events.adminEventsDetailsEnabled)
    }
}

extension RealmRepresentation: StrictRepresentation {
    /// The members above: what this server acts on.
    static let actedOn: Set<String> = [
        "id", "realm", "enabled", "accessTokenLifespan", "ssoSessionIdleTimeout", "notBefore", "defaultSignatureAlgorithm", "passwordPolicy",
        "bruteForceProtected", "permanentLockout", "failureFactor", "waitIncrementSeconds", "maxFailureWaitSeconds", "maxDeltaTimeSeconds",
        "minimumQuickLoginWaitSeconds", "quickLoginCheckMilliSeconds", "otpPolicyType", "otpPolicyAlgorithm", "otpPolicyInitialCounter",
        "otpPolicyDigits", "otpPolicyLookAheadWindow", "otpPolicyPeriod", "otpPolicyCodeReusable", "otpSupportedApplications",
        "otpRequiredForRoles", "duplicateEmailsAllowed", "eventsEnabled", "eventsExpiration", "eventsListeners", "enabledEventTypes",
        "adminEventsEnabled", "adminEventsDetailsEnabled",
    ]

    /// Keycloak's fields that are not settings: what an import brings (users, clients, roles, flows, …, which have their
    /// own endpoints here), values the server computes, and key material, which is never taken from a representation.
    static let neverKept: Set<String> = [
        "users", "federatedUsers", "clients", "clientScopes", "roles", "groups", "scopeMappings", "clientScopeMappings", "identityProviders",
        "identityProviderMappers", "protocolMappers", "components", "authenticationFlows", "authenticatorConfig", "requiredActions",
        "organizations", "applications", "oauthClients", "clientTemplates", "userFederationProviders", "userFederationMappers",
        "applicationScopeMappings", "defaultRole", "defaultRoles", "keycloakVersion", "privateKey", "publicKey", "certificate", "codeSecret",
        "socialProviders", "social", "updateProfileOnInitialSocialLogin", "requiredCredentials", "localizationTexts",
    ]

    /// Every other field of Keycloak 26's `RealmRepresentation`: kept as given.
    static let keptFields: Set<String> = [
        "displayName", "displayNameHtml", "revokeRefreshToken", "refreshTokenMaxReuse", "accessTokenLifespanForImplicitFlow",
        "ssoSessionMaxLifespan", "ssoSessionIdleTimeoutRememberMe", "ssoSessionMaxLifespanRememberMe", "offlineSessionIdleTimeout",
        "offlineSessionMaxLifespanEnabled", "offlineSessionMaxLifespan", "clientSessionIdleTimeout", "clientSessionMaxLifespan",
        "clientOfflineSessionIdleTimeout", "clientOfflineSessionMaxLifespan", "accessCodeLifespan", "accessCodeLifespanUserAction",
        "accessCodeLifespanLogin", "actionTokenGeneratedByAdminLifespan", "actionTokenGeneratedByUserLifespan", "oauth2DeviceCodeLifespan",
        "oauth2DevicePollingInterval", "sslRequired", "passwordCredentialGrantAllowed", "registrationAllowed", "registrationEmailAsUsername",
        "rememberMe", "verifyEmail", "loginWithEmailAllowed", "resetPasswordAllowed", "editUsernameAllowed", "userCacheEnabled",
        "realmCacheEnabled", "maxTemporaryLockouts", "bruteForceStrategy", "defaultGroups", "webAuthnPolicyRpEntityName",
        "webAuthnPolicySignatureAlgorithms", "webAuthnPolicyRpId", "webAuthnPolicyAttestationConveyancePreference",
        "webAuthnPolicyAuthenticatorAttachment", "webAuthnPolicyRequireResidentKey", "webAuthnPolicyUserVerificationRequirement",
        "webAuthnPolicyCreateTimeout", "webAuthnPolicyAvoidSameAuthenticatorRegister", "webAuthnPolicyAcceptableAaguids",
        "webAuthnPolicyExtraOrigins", "webAuthnPolicyPasswordlessRpEntityName", "webAuthnPolicyPasswordlessSignatureAlgorithms",
        "webAuthnPolicyPasswordlessRpId", "webAuthnPolicyPasswordlessAttestationConveyancePreference",
        "webAuthnPolicyPasswordlessAuthenticatorAttachment", "webAuthnPolicyPasswordlessRequireResidentKey",
        "webAuthnPolicyPasswordlessUserVerificationRequirement", "webAuthnPolicyPasswordlessCreateTimeout",
        "webAuthnPolicyPasswordlessAvoidSameAuthenticatorRegister", "webAuthnPolicyPasswordlessAcceptableAaguids",
        "webAuthnPolicyPasswordlessExtraOrigins", "clientProfiles", "clientPolicies", "defaultDefaultClientScopes",
        "defaultOptionalClientScopes", "browserSecurityHeaders", "smtpServer", "loginTheme", "accountTheme", "adminTheme", "emailTheme",
        "internationalizationEnabled", "supportedLocales", "defaultLocale", "browserFlow", "registrationFlow", "directGrantFlow",
        "resetCredentialsFlow", "clientAuthenticationFlow", "dockerAuthenticationFlow", "firstBrokerLoginFlow", "attributes",
        "userManagedAccessAllowed", "organizationsEnabled", "oid4VciEnabled", "adminPermissionsEnabled",
    ]

    static let knownFields = actedOn.union(neverKept).union(keptFields)

    /// Keycloak's mask for a secret it will not show again.
    static let secretMask = "**********"

    /// The kept fields of a body the client sent. An SMTP password is never kept — this server sends no mail, and a
    /// password stored in clear is one a stolen database gives away: any SMTP setting named like a password or a
    /// secret is remembered as Keycloak's mask. `smtpServer` is Keycloak's map of strings, nothing else.
    static func kept(from object: [String: Any]) throws -> KeptSettings? {
        var kept = object.filter { keptFields.contains($0.key) }
        if let smtp = kept["smtpServer"], !(smtp is NSNull) {
            // Keycloak reads a number or a boolean here as its text (`"port": 587`), and nothing else.
            guard let settings = smtp as? [String: Any], settings.values.allSatisfy({ $0 is String || $0 is NSNumber }) else {
                throw AdminError.badRequest("smtpServer holds text settings only")
            }
            kept["smtpServer"] = Dictionary(uniqueKeysWithValues: settings.map { name, value in
                let lowered = name.lowercased()
                return (name, lowered.contains("password") || lowered.contains("secret") ? secretMask : "\(value)")
            })
        }
        return kept.isEmpty ? nil : try KeptSettings(kept)
    }

    /// This representation as JSON, with the kept fields beside the ones acted on (which win).
    func json(with kept: String?) -> [String: Any] {
        var object = (try? JSONBody.encoder.encode(self)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
        if let kept, let stored = try? JSONSerialization.jsonObject(with: Data(kept.utf8)) as? [String: Any] {
            object.merge(stored) { ours, _ in ours }
        }
        return object
    }
}
