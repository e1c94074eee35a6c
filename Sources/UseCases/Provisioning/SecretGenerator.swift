/// Random secrets in the alphabets users see: 32 alphanumerics for client secrets, as Keycloak generates them.
public enum SecretGenerator {
    static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// Uses the system's cryptographically secure generator (`SystemRandomNumberGenerator`).
    public static func alphanumeric(_ length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphanumerics.randomElement(using: &generator)! })
    }
}
