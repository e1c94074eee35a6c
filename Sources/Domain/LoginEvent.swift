/// A sign-in, token or sign-out event of a realm, in Keycloak's terms (`GET /admin/realms/{realm}/events`). Stored only
/// while the realm's events are enabled, as Keycloak stores them; the audit trail of keys is kept whatever this says.
public struct LoginEvent: Sendable, Equatable, Codable {
    public var id: String
    public var realm: String
    /// Epoch milliseconds, as Keycloak gives `time`.
    public var time: Int
    public var type: String
    public var clientId: String?
    public var userId: String?
    public var sessionId: String?
    public var ipAddress: String?
    /// Keycloak's error word for an `…_ERROR` event (`invalid_user_credentials`, `user_temporarily_disabled`, …).
    public var error: String?
    /// Keycloak's `details` (grant type, username, …): never a secret.
    public var details: [String: String]

    public init(
        id: String, realm: String, time: Int, type: String, clientId: String?, userId: String?, sessionId: String?, ipAddress: String?,
        error: String? = nil, details: [String: String] = [:]
    ) {
        (self.id, self.realm, self.time, self.type) = (id, realm, time, type)
        (self.clientId, self.userId, self.sessionId, self.ipAddress) = (clientId, userId, sessionId, ipAddress)
        (self.error, self.details) = (error, details)
    }

    /// The event types this server records; an `…_ERROR` type is the failure of the one before it.
    public enum Kind: String, Sendable, CaseIterable {
        case login = "LOGIN"
        case loginError = "LOGIN_ERROR"
        case codeToToken = "CODE_TO_TOKEN"
        case codeToTokenError = "CODE_TO_TOKEN_ERROR"
        case refreshToken = "REFRESH_TOKEN"
        case refreshTokenError = "REFRESH_TOKEN_ERROR"
        case clientLogin = "CLIENT_LOGIN"
        case clientLoginError = "CLIENT_LOGIN_ERROR"
        case logout = "LOGOUT"
        case updatePassword = "UPDATE_PASSWORD"
    }
}

/// Keycloak's `RealmEventsConfigRepresentation`: whether login events are stored, which types, and for how long.
/// Admin events are not recorded here; their two switches are kept so that tools read back what they wrote.
public struct EventsConfig: Sendable, Equatable, Codable {
    public var eventsEnabled = false
    /// Seconds an event is kept; nil keeps it until the realm goes.
    public var eventsExpiration: Int?
    public var eventsListeners = ["jboss-logging"]
    /// Types stored; empty stores every type this server records (Keycloak's default set).
    public var enabledEventTypes: [String] = []
    public var adminEventsEnabled = false
    public var adminEventsDetailsEnabled = false

    public init() {}

    public func records(_ kind: LoginEvent.Kind) -> Bool {
        eventsEnabled && (enabledEventTypes.isEmpty || enabledEventTypes.contains(kind.rawValue))
    }

    /// An event type is Keycloak's word: capitals and underscores, at most 64.
    public static func isEventType(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || $0 == 95 }
    }
}

/// What `/events` filters by (Keycloak's query parameters); nil matches everything.
public struct LoginEventFilter: Sendable, Equatable {
    public var types: [String]
    public var clientId: String?
    public var userId: String?
    public var ipAddress: String?
    /// Epoch milliseconds, inclusive.
    public var from: Int?
    public var to: Int?

    public init(types: [String] = [], clientId: String? = nil, userId: String? = nil, ipAddress: String? = nil, from: Int? = nil, to: Int? = nil) {
        (self.types, self.clientId, self.userId, self.ipAddress, self.from, self.to) = (types, clientId, userId, ipAddress, from, to)
    }
}
