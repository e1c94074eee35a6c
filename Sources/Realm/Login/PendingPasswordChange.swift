import Foundation
import Storage

/// A user who has just passed the password check and must choose a new password before logging in. The update form
/// carries it sealed (AES-GCM with the at-rest key, five minutes), so the page never holds the password itself.
struct PendingPasswordChange: Sendable {
    let realm: String
    let userId: String
    let expiresAt: Int

    static let lifetime = 300

    func sealed(with secrets: SecretBox) throws -> String {
        try secrets.seal("\(realm)\n\(userId)\n\(expiresAt)")
    }

    /// The change a sealed value stands for, if it opens, belongs to `realm` and has not expired.
    static func open(_ sealed: String, secrets: SecretBox, realm: String, now: Int) -> PendingPasswordChange? {
        guard let text = try? secrets.open(sealed) else { return nil }
        let parts = text.split(separator: "\n").map(String.init)
        guard parts.count == 3, parts[0] == realm, let expiresAt = Int(parts[2]), expiresAt > now else { return nil }
        return PendingPasswordChange(realm: parts[0], userId: parts[1], expiresAt: expiresAt)
    }
}
