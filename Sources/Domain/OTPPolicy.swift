/// A realm's one-time-password policy, as Keycloak's realm representation gives it (`otpPolicyType`,
/// `otpPolicyAlgorithm`, `otpPolicyDigits`, `otpPolicyPeriod`, `otpPolicyLookAheadWindow`), plus which realm roles must
/// sign in with a second factor. Only time-based codes (RFC 6238) are served, and each code works once.
public struct OTPPolicy: Sendable, Equatable, Codable {
    public var algorithm: OTPAlgorithm = .sha1
    public var digits = 6
    /// Seconds a code stands for.
    public var period = 30
    /// Codes of this many periods before and after now are accepted too (clocks drift).
    public var lookAroundWindow = 1
    /// Holders of any of these realm roles (directly, through a composite or a group) must sign in with a code.
    public var requiredForRoles: [String] = []

    public init() {}

    public static let digitsAllowed: Set<Int> = [6, 8]
    public static let periodRange = 15...300
    public static let lookAroundRange = 0...10
}

/// The HMAC an authenticator computes codes with, by Keycloak's names.
public enum OTPAlgorithm: String, Sendable, Codable, CaseIterable {
    case sha1 = "HmacSHA1"
    case sha256 = "HmacSHA256"
    case sha512 = "HmacSHA512"

    /// As an `otpauth://` URI names it.
    public var uriName: String {
        switch self {
        case .sha1: "SHA1"
        case .sha256: "SHA256"
        case .sha512: "SHA512"
        }
    }
}

/// A user's authenticator (Keycloak's `otp` credential). Its secret is stored sealed, never here.
public struct OTPCredential: Sendable, Equatable, Codable {
    public var id: String
    public var userId: String
    public var realm: String
    public var label: String
    public var algorithm: OTPAlgorithm
    public var digits: Int
    public var period: Int
    public var createdAt: Int

    public init(id: String, userId: String, realm: String, label: String, algorithm: OTPAlgorithm, digits: Int, period: Int, createdAt: Int) {
        (self.id, self.userId, self.realm, self.label) = (id, userId, realm, label)
        (self.algorithm, self.digits, self.period, self.createdAt) = (algorithm, digits, period, createdAt)
    }
}
