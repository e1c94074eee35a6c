/// What a protocol mapper may say, checked when it is made or changed. A token's claims are what the API and every
/// service behind it trust, so claims that carry identity and authorization come from this server alone:
/// - no mapper writes `sub`, `iss`, `exp`, `aud` (audience mappers add to it), `typ`, `azp`, `scope`, … (`reserved`);
/// - `realm_access` comes only from a realm-role mapper and `resource_access` only from a client-role mapper, each at
///   Keycloak's own place — a hard-coded claim or a user attribute cannot hand anyone `nx1_admin`;
/// - `preferred_username` comes only from the username.
/// Everything else Keycloak's mappers do is allowed, within bounds on size.
public enum MapperRules {
    /// Claims this server sets and no mapper may write (nor anything below them).
    public static let reserved: Set<String> = [
        "exp", "iat", "nbf", "jti", "iss", "aud", "sub", "typ", "azp", "sid", "session_state", "auth_time", "nonce", "at_hash", "c_hash", "scope",
        "acr", "client_id", "clientHost", "clientAddress", "allowed-origins",
    ]

    public static let realmRolesClaim = "realm_access.roles"
    public static let clientRolesClaim = "resource_access.${client_id}.roles"

    /// The mapper, checked; its type must be one this server runs (Keycloak: 404 `ProtocolMapper provider not found`,
    /// which the caller says when `type` is nil).
    public static func check(name: String, type: MapperType, config: [String: String]) throws(ValueError) {
        guard (1...255).contains(name.count) else { throw ValueError(field: "name", message: "A mapper needs a name of 1 to 255 characters", rule: .pattern) }
        guard config.count <= 50, config.allSatisfy({ $0.key.count <= 255 && $0.value.count <= 4_096 }) else {
            throw ValueError(field: "config", message: "At most 50 settings of at most 4,096 characters each", rule: .tooLong)
        }
        // A mapper without a claim name or a user attribute is kept, as Keycloak keeps it, and writes nothing.
        let claim = config["claim.name"]
        switch type {
        case .userProperty:
            if let property = config["user.attribute"], UserProperty(rawValue: property) == nil {
                throw ValueError(field: "config", message: "user.attribute must be one of \(UserProperty.allCases.map(\.rawValue).joined(separator: ", "))", rule: .pattern)
            }
            try checkClaim(claim, allowingUsername: config["user.attribute"] == UserProperty.username.rawValue)
        case .userAttribute, .hardcodedClaim, .groupMembership:
            try checkClaim(claim)
        case .fullName:
            break
        case .realmRoles:
            try checkRoles(claim: claim, standard: realmRolesClaim, prefix: config["usermodel.realmRoleMapping.rolePrefix"])
        case .clientRoles:
            try checkRoles(claim: claim, standard: clientRolesClaim, prefix: config["usermodel.clientRoleMapping.rolePrefix"])
        case .audience:
            let client = config["included.client.audience"] ?? "", custom = config["included.custom.audience"] ?? ""
            guard !(client.isEmpty && custom.isEmpty), client.count <= 255, custom.count <= 255 else {
                throw ValueError(field: "config", message: "An audience mapper names included.client.audience or included.custom.audience", rule: .pattern)
            }
        case .audienceResolve, .acr, .allowedOrigins, .subject:
            break
        }
    }

    /// A role mapper writes the roles themselves at Keycloak's own place — never renamed by a prefix, which could make
    /// a role read as another (`admin` → `nx1_admin`) — or anywhere a claim may go.
    static func checkRoles(claim: String?, standard: String, prefix: String?) throws(ValueError) {
        guard claim == standard else { return try checkClaim(claim) }
        if let prefix, !prefix.isEmpty {
            throw ValueError(field: "config", message: "Roles at \(standard) carry their own names: no prefix", rule: .pattern)
        }
    }

    /// A claim path (`a.b.c`, dots nesting) a mapper may write: not reserved, not the roles' or the username's.
    static func checkClaim(_ claim: String?, allowingUsername: Bool = false) throws(ValueError) {
        guard let claim else { return }
        guard let path = ClaimPath(claim) else {
            throw ValueError(field: "config", message: "claim.name must be a claim name (dots nest it, at most 8 deep)", rule: .pattern)
        }
        let root = path.components[0]
        if reserved.contains(root) { throw ValueError(field: "config", message: "The claim \(root) is set by the server", rule: .pattern) }
        if root == "realm_access" || root == "resource_access" {
            throw ValueError(field: "config", message: "Roles reach \(root) only through the role mappers", rule: .pattern)
        }
        if root == "preferred_username" && !(allowingUsername && path.components.count == 1) {
            throw ValueError(field: "config", message: "preferred_username is the username", rule: .pattern)
        }
    }
}

/// A claim name as Keycloak writes it: dots nest (`address.street`), `\.` is a dot inside a name.
public struct ClaimPath: Sendable, Equatable {
    public let components: [String]

    public init?(_ text: String) {
        guard (1...255).contains(text.count) else { return nil }
        var components: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "." {
                components.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        components.append(current)
        guard components.count <= 8, components.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.components = components
    }
}

/// The user properties a property mapper reads, by Keycloak's names.
public enum UserProperty: String, Sendable, CaseIterable {
    case id, username, email, firstName, lastName, emailVerified, enabled, createdTimestamp
}
