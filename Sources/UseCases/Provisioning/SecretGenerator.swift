import Domain

/// Random secrets in the alphabets users see: 32 alphanumerics for client secrets, as Keycloak generates them.
public enum SecretGenerator {
    static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// Uses the system's cryptographically secure generator (`SystemRandomNumberGenerator`).
    public static func alphanumeric(_ length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphanumerics.randomElement(using: &generator)! })
    }

    /// A one-time password that meets the realm's policy: 16 alphanumerics (more or fewer if the policy asks for a
    /// longer or a shorter password), then as many digits, upper and lower case letters and special characters as the policy counts, in
    /// random order. The username and email cannot be it or contain it: it has 16 random characters or more.
    public static func oneTimePassword(meeting policy: PasswordPolicy) -> String {
        var generator = SystemRandomNumberGenerator()
        var required: [Character] = []
        var length = 16
        var ceiling = Int.max
        func add(_ count: Int, from alphabet: String) {
            required += (0..<count).map { _ in Array(alphabet).randomElement(using: &generator)! }
        }
        for rule in policy.rules {
            switch rule {
            case .length(let n): length = max(length, n)
            case .maxLength(let n): ceiling = min(ceiling, n)
            case .digits(let n): add(n, from: "0123456789")
            case .upperCase(let n): add(n, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            case .lowerCase(let n): add(n, from: "abcdefghijklmnopqrstuvwxyz")
            case .specialChars(let n): add(n, from: "!#$%&*+-=?@^_~")
            default: break
            }
        }
        // A policy can be met (`PasswordPolicy` refuses one that cannot), so the required characters fit under the ceiling.
        let filler = (0..<max(0, min(length, ceiling) - required.count)).map { _ in alphanumerics.randomElement(using: &generator)! }
        return String((required + filler).shuffled(using: &generator))
    }
}
