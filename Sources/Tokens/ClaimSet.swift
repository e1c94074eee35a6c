import Domain

/// What the protocol mappers put in one token (access, ID) or the userinfo answer. The members every OpenID Connect
/// client reads are typed (so the verifier and the API read them without a lookup); anything else a mapper makes is in
/// `other`, nested by its claim path.
public struct ClaimSet: Sendable, Equatable {
    /// `realm_access.roles`; nil when no realm-role mapper ran.
    public var realmRoles: [String]?
    /// `resource_access.{clientId}.roles`; nil when no client-role mapper ran.
    public var clientRoles: [String: [String]]?
    /// Audiences the audience mappers add, in the order they were added, without repeats.
    public var audiences: [String] = []
    public var acr: String?
    public var preferredUsername: String?
    public var emailVerified: Bool?
    public var name, givenName, familyName, email: String?
    public var other: [String: ClaimValue] = [:]

    public init() {}

    /// Writes `value` at `path`. The standard members take their typed place (a value of another kind is written as
    /// text, or as a boolean from `"true"`), so no member is ever written twice.
    public mutating func set(_ path: [String], _ value: ClaimValue) {
        guard let root = path.first else { return }
        if path.count == 1 {
            switch root {
            case "preferred_username": preferredUsername = value.text
            case "name": name = value.text
            case "given_name": givenName = value.text
            case "family_name": familyName = value.text
            case "email": email = value.text
            case "email_verified": emailVerified = value.boolean
            default: if !Self.typedOnly.contains(root) { other[root] = value }
            }
            return
        }
        // Roles are written only to their typed members: a second `realm_access` in a token would be read by some
        // parsers instead of the first.
        guard !Self.typedOnly.contains(root) else { return }
        other = ClaimValue.setting(value, at: path[...], in: other)
    }

    static let typedOnly: Set<String> = ["realm_access", "resource_access"]

    public mutating func addAudience(_ audience: String) {
        if !audiences.contains(audience) { audiences.append(audience) }
    }

    /// `aud` as Keycloak writes it: a string for one audience, a list for more, absent for none.
    public var audience: Audience? {
        switch audiences.count {
        case 0: nil
        case 1: .one(audiences[0])
        default: .many(audiences)
        }
    }
}

extension ClaimValue {
    /// The value as the text a string member holds.
    var text: String {
        switch self {
        case .string(let string): string
        case .int(let int): String(int)
        case .double(let double): String(double)
        case .bool(let bool): String(bool)
        case .array, .object:
            String(decoding: { var bytes: [UInt8] = []; appendJSON(to: &bytes); return bytes }(), as: UTF8.self)
        }
    }

    var boolean: Bool {
        switch self {
        case .bool(let bool): bool
        case .string(let string): string == "true"
        default: false
        }
    }
}
