/// An OAuth 2.0 client of a realm. The secret itself never lives in this type.
public struct Client: Sendable, Equatable {
    /// Internal UUID (Keycloak's `id`).
    public var id: String
    public var realm: String
    /// What users type (Keycloak's `clientId`).
    public var clientId: String
    public var name: String
    public var isPublic: Bool
    public var enabled: Bool
    public var serviceAccountsEnabled: Bool
    public var standardFlowEnabled: Bool
    public var directAccessGrantsEnabled: Bool
    public var redirectURIs: [String]
    public var createdAt: Int
    /// Whether Keycloak's authorization services are on: the client is a resource server with resources, policies and
    /// permissions (`ResourceServerSettings`), which the `uma-ticket` grant evaluates.
    public var authorizationServicesEnabled = false

    public init(
        id: String,
        realm: String,
        clientId: String,
        name: String = "",
        isPublic: Bool = false,
        enabled: Bool = true,
        serviceAccountsEnabled: Bool = false,
        standardFlowEnabled: Bool = true,
        directAccessGrantsEnabled: Bool = true,
        redirectURIs: [String] = [],
        createdAt: Int
    ) {
        self.id = id
        self.realm = realm
        self.clientId = clientId
        self.name = name
        self.isPublic = isPublic
        self.enabled = enabled
        self.serviceAccountsEnabled = serviceAccountsEnabled
        self.standardFlowEnabled = standardFlowEnabled
        self.directAccessGrantsEnabled = directAccessGrantsEnabled
        self.redirectURIs = redirectURIs
        self.createdAt = createdAt
    }

    /// Keycloak names a client's service-account user after the client id, in lower case.
    public var serviceAccountUsername: String { "service-account-\(clientId.lowercased())" }

    /// Exact match, or a trailing `*` wildcard as Keycloak allows (`http://localhost:3000/*`). Only absolute URIs are
    /// ever allowed: a relative `/*` would match `//attacker.example/…`.
    public func allowsRedirect(to uri: String) -> Bool {
        redirectURIs.contains { allowed in
            if allowed == "*" || !Self.hasScheme(allowed) { return false }
            if allowed.hasSuffix("*") { return uri.hasPrefix(allowed.dropLast()) }
            return allowed == uri
        }
    }

    public static let adminCLI = "admin-cli"

    /// Whether a URI starts with a scheme (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`, then `:`), as
    /// `https://…` and an app's `com.example.app:/callback` do.
    public static func hasScheme(_ uri: String) -> Bool {
        guard let colon = uri.firstIndex(of: ":"), let first = uri.first, first.isASCII, first.isLetter else { return false }
        return uri[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }
}
