/// A required action a realm knows (Keycloak's `RequiredActionProviderRepresentation`): something a user must do at
/// their next sign-in. `enabled` decides whether it is asked for at all; `defaultAction` gives it to every new user.
public struct RequiredAction: Sendable, Equatable, Codable {
    public var alias: String
    public var enabled: Bool
    public var defaultAction: Bool
    public var priority: Int

    public init(alias: String, enabled: Bool, defaultAction: Bool, priority: Int) {
        (self.alias, self.enabled, self.defaultAction, self.priority) = (alias, enabled, defaultAction, priority)
    }

    /// The actions this server carries out, with Keycloak's names and priorities.
    public enum Known: String, Sendable, CaseIterable {
        case configureTOTP = "CONFIGURE_TOTP"
        case updatePassword = "UPDATE_PASSWORD"
        case verifyEmail = "VERIFY_EMAIL"

        public var name: String {
            switch self {
            case .configureTOTP: "Configure OTP"
            case .updatePassword: "Update Password"
            case .verifyEmail: "Verify Email"
            }
        }

        /// Whether the server can carry it out: verifying an email needs mail, which this server does not send.
        public var canBeEnabled: Bool { self != .verifyEmail }

        public var defaults: RequiredAction {
            switch self {
            case .configureTOTP: RequiredAction(alias: rawValue, enabled: true, defaultAction: false, priority: 10)
            case .updatePassword: RequiredAction(alias: rawValue, enabled: true, defaultAction: false, priority: 30)
            case .verifyEmail: RequiredAction(alias: rawValue, enabled: false, defaultAction: false, priority: 50)
            }
        }
    }
}

/// A realm's required actions: Keycloak's defaults, changed where the realm's administrators changed them.
public struct RequiredActions: Sendable, Equatable, Codable {
    /// Only the actions changed from their defaults.
    public var changed: [String: RequiredAction]

    public init(changed: [String: RequiredAction] = [:]) { self.changed = changed }

    public subscript(_ known: RequiredAction.Known) -> RequiredAction { changed[known.rawValue] ?? known.defaults }

    /// Every action, by priority then alias.
    public var all: [RequiredAction] {
        RequiredAction.Known.allCases.map { self[$0] }.sorted { ($0.priority, $0.alias) < ($1.priority, $1.alias) }
    }
}
