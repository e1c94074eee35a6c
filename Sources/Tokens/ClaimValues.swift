import Domain
import JWTKit

/// `aud` is a string when one audience applies and an array otherwise (RFC 7519 §4.1.3), as Keycloak writes it.
public enum Audience: Sendable, Codable, Equatable {
    case one(String)
    case many([String])

    public var values: [String] {
        switch self {
        case .one(let value): [value]
        case .many(let values): values
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) { self = .one(one) } else { self = .many(try container.decode([String].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .one(let value): try container.encode(value)
        case .many(let values): try container.encode(values)
        }
    }
}

/// `{"roles":[…]}` inside `realm_access` and `resource_access`.
public struct RoleList: Sendable, Codable, Equatable {
    public var roles: [String]
    public init(roles: [String]) { self.roles = roles }
}
