import Domain
import UseCases

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
    var authorizationServicesEnabled: Bool?

    init(_ client: Client) {
        authorizationServicesEnabled = client.authorizationServicesEnabled
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
        if !brief { attributes = role.attributes }
    }

    /// The change a `PUT` asks for: each field only when sent.
    func change() throws -> UpdateRole.Change {
        UpdateRole.Change(
            name: try name.map { value in
                guard let name = try? Identifier(value, field: "name") else { throw AdminError.badRequest("Invalid role name") }
                return name
            },
            description: description, attributes: try attributes.map { try UserAttributes($0) })
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
