import Domain
import UseCases

/// Keycloak's `RealmRepresentation` (the fields this server keeps).
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
    }
}

/// Keycloak's `ClientRepresentation`. `publicClient` absent means confidential here (Keycloak defaults to public).
package struct ClientRepresentation: Codable {
    var id: String?
    var clientId: String?
    var name: String?
    var enabled: Bool?
    var publicClient: Bool?
    var serviceAccountsEnabled: Bool?
    var standardFlowEnabled: Bool?
    var directAccessGrantsEnabled: Bool?
    var redirectUris: [String]?
    var secret: String?
    var `protocol`: String?
    var bearerOnly: Bool?
    var clientAuthenticatorType: String?

    init(_ client: Client) {
        id = client.id
        clientId = client.clientId
        name = client.name
        enabled = client.enabled
        publicClient = client.isPublic
        serviceAccountsEnabled = client.serviceAccountsEnabled
        standardFlowEnabled = client.standardFlowEnabled
        directAccessGrantsEnabled = client.directAccessGrantsEnabled
        redirectUris = client.redirectURIs
        `protocol` = "openid-connect"
        bearerOnly = false
        clientAuthenticatorType = "client-secret"
    }
}

/// Keycloak's `CredentialRepresentation` (passwords only).
package struct CredentialRepresentation: Codable {
    var type: String?
    var value: String?
    var temporary: Bool?
}

/// Keycloak's `UserRepresentation`.
package struct UserRepresentation: Codable {
    var id: String?
    var username: String?
    var email: String?
    var firstName: String?
    var lastName: String?
    var enabled: Bool?
    var emailVerified: Bool?
    var createdTimestamp: Int?
    var serviceAccountClientId: String?
    var requiredActions: [String]?
    var credentials: [CredentialRepresentation]?
    var realmRoles: [String]?
    /// Paths of groups to join, on creation.
    var groups: [String]?
    var totp: Bool?
    var attributes: KeycloakAttributes?
    var access: [String: Bool]?
}

extension UserRepresentation: StrictRepresentation {
    static let knownFields: Set<String> = [
        "id", "self", "origin", "createdTimestamp", "username", "enabled", "totp", "emailVerified", "firstName", "lastName", "email",
        "federationLink", "serviceAccountClientId", "attributes", "credentials", "disableableCredentialTypes", "requiredActions",
        "federatedIdentities", "realmRoles", "clientRoles", "clientConsents", "notBefore", "applicationRoles", "socialLinks", "groups", "access",
        "userProfileMetadata",
    ]

    /// `brief` leaves out attributes and the caller's access, as Keycloak's `briefRepresentation=true` does. `totp` (the
    /// user has an authenticator) is left out where the caller did not look it up.
    init(_ user: User, brief: Bool = false, totp: Bool? = nil) {
        self.init(
            id: user.id, username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName, enabled: user.enabled,
            emailVerified: user.emailVerified, createdTimestamp: user.createdAt.keycloakMilliseconds,
            serviceAccountClientId: user.serviceAccountClientId,
            requiredActions: (user.mustConfigureOTP ? ["CONFIGURE_TOTP"] : []) + (user.mustChangePassword ? ["UPDATE_PASSWORD"] : []), totp: totp,
            attributes: brief || user.attributes.isEmpty ? nil : KeycloakAttributes(values: user.attributes),
            access: brief ? nil : ["manageGroupMembership": true, "view": true, "mapRoles": true, "impersonate": false, "manage": true])
    }
}

/// Keycloak's `RoleRepresentation`.
package struct RoleRepresentation: Codable {
    var id: String?
    var name: String?
    var description: String?
    var composite: Bool?
    var clientRole: Bool?
    var containerId: String?
    var attributes: [String: [String]]?

    /// `brief` (Keycloak's default for role lists) leaves out the attributes.
    init(_ role: Role, brief: Bool = false) {
        id = role.id
        name = role.name
        description = role.description
        composite = role.composite
        clientRole = role.clientId != nil
        containerId = role.clientId ?? role.realm
        if !brief { attributes = [:] }
    }
}

/// Keycloak's attribute map: each name holds a list of values. A single string is read as a list of one, as
/// Keycloak itself accepts it.
package struct KeycloakAttributes: Codable, Equatable {
    var values: [String: [String]]

    init(values: [String: [String]]) { self.values = values }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let lists = try? container.decode([String: [String]].self) {
            values = lists
        } else {
            values = try container.decode([String: String].self).mapValues { [$0] }
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}

/// Keycloak's `CredentialRepresentation` as its credential list shows one: never a secret.
package struct StoredCredentialRepresentation: Encodable {
    var id: String
    var type = "password"
    var userLabel: String?
    var createdDate: Int?
    var credentialData: String

    init(_ credential: PasswordCredential) {
        id = credential.id
        createdDate = credential.createdAt.map(\.keycloakMilliseconds)
        credentialData = #"{"algorithm":"\#(credential.algorithm)","additionalParameters":{}}"#
    }

    /// An authenticator, as Keycloak lists an `otp` credential (never its secret).
    init(_ credential: OTPCredential) {
        id = credential.id
        type = "otp"
        userLabel = credential.label
        createdDate = credential.createdAt.keycloakMilliseconds
        credentialData =
            #"{"subType":"totp","digits":\#(credential.digits),"counter":0,"period":\#(credential.period),"algorithm":"\#(credential.algorithm.rawValue)"}"#
    }
}
