/// A client scope (Keycloak's `ClientScopeRepresentation`): a named set of protocol mappers — which claims a token
/// carries — that clients hold as default scopes (always granted) or optional ones (granted when the request's `scope`
/// names them). Only `openid-connect` scopes exist here.
public struct ClientScope: Sendable, Equatable {
    public var id: String
    public var realm: String
    public var name: String
    public var description: String
    /// Keycloak's attributes (`include.in.token.scope`, `display.on.consent.screen`, `consent.screen.text`, …).
    public var attributes: [String: String]

    public init(id: String, realm: String, name: String, description: String = "", attributes: [String: String] = [:]) {
        (self.id, self.realm, self.name, self.description, self.attributes) = (id, realm, name, description, attributes)
    }

    public static let openIDConnect = "openid-connect"

    /// Whether a granted scope's name appears in a token's `scope` (Keycloak's `include.in.token.scope`, true unless
    /// said otherwise).
    public var includedInTokenScope: Bool { attributes["include.in.token.scope"] != "false" }
}

/// Whether a client scope is granted always or only when asked for.
public enum ScopeKind: String, Sendable, CaseIterable {
    case `default`
    case optional
}

/// A protocol mapper: one claim (or audience) a token gets, of a client scope or of a client itself.
public struct ProtocolMapper: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The mapper type, Keycloak's `protocolMapper` (`oidc-audience-mapper`, …; `MapperType`).
    public var type: String
    public var config: [String: String]

    public init(id: String, name: String, type: String, config: [String: String] = [:]) {
        (self.id, self.name, self.type, self.config) = (id, name, type, config)
    }
}

/// The mapper types this server runs, by Keycloak's ids. A mapper of another type cannot be created: it would be kept
/// and do nothing.
public enum MapperType: String, Sendable, CaseIterable {
    case userProperty = "oidc-usermodel-property-mapper"
    case userAttribute = "oidc-usermodel-attribute-mapper"
    case fullName = "oidc-full-name-mapper"
    case hardcodedClaim = "oidc-hardcoded-claim-mapper"
    case audience = "oidc-audience-mapper"
    case audienceResolve = "oidc-audience-resolve-mapper"
    case groupMembership = "oidc-group-membership-mapper"
    case realmRoles = "oidc-usermodel-realm-role-mapper"
    case clientRoles = "oidc-usermodel-client-role-mapper"
    case acr = "oidc-acr-mapper"
    case allowedOrigins = "oidc-allowed-origins-mapper"
    case subject = "oidc-sub-mapper"

    /// Keycloak's display name, which its console and `serverinfo` show.
    public var displayName: String {
        switch self {
        case .userProperty: "User Property"
        case .userAttribute: "User Attribute"
        case .fullName: "User's full name"
        case .hardcodedClaim: "Hardcoded claim"
        case .audience: "Audience"
        case .audienceResolve: "Audience Resolve"
        case .groupMembership: "Group Membership"
        case .realmRoles: "User Realm Role"
        case .clientRoles: "User Client Role"
        case .acr: "Authentication Context Class Reference (ACR)"
        case .allowedOrigins: "Allowed Web Origins"
        case .subject: "Subject (sub)"
        }
    }
}

/// Whose protocol mappers (and scope mappings): a client scope's, or a client's own.
public enum MapperOwner: Sendable, Equatable {
    case scope(String)
    case client(String)

    public var id: String {
        switch self {
        case .scope(let id), .client(let id): id
        }
    }
}
