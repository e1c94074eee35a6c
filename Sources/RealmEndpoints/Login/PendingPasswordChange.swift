import Foundation
import Secrets

/// A user who has just passed the password check and must choose a new password before logging in. The update form
/// carries it sealed (AES-GCM with the at-rest key, five minutes), so the page never holds the password itself. It is
/// bound to the authorization request it was made for and to the password hash it replaces, so it cannot be replayed
/// for another client or once the new password is set (RFC 6749 §10.5's single use, for this intermediate step).
struct PendingPasswordChange: Sendable, Equatable {
    let realm: String
    let userId: String
    let expiresAt: Int
    /// SHA-256 of the authorization request's parameters.
    let requestDigest: String
    /// SHA-256 of the password hash being replaced.
    let passwordDigest: String

    static let lifetime = 300

    /// `passwordDigest`: the digest of the hash the password just matched (`PasswordProof.passwordDigest`).
    init(realm: String, userId: String, expiresAt: Int, request: AuthorizationRequest, passwordDigest: String) {
        self.init(realm: realm, userId: userId, expiresAt: expiresAt, requestDigest: request.digest, passwordDigest: passwordDigest)
    }

    private init(realm: String, userId: String, expiresAt: Int, requestDigest: String, passwordDigest: String) {
        self.realm = realm
        self.userId = userId
        self.expiresAt = expiresAt
        self.requestDigest = requestDigest
        self.passwordDigest = passwordDigest
    }

    func sealed(with secrets: SecretBox) throws -> String {
        try secrets.seal([realm, userId, String(expiresAt), requestDigest, passwordDigest].joined(separator: "\n"))
    }

    /// The change a sealed value stands for, if it opens, belongs to `realm` and this authorization request, and has not
    /// expired. Whether it still replaces the stored password is `PasswordSignIn.pendingChange`'s to say.
    static func open(_ sealed: String, secrets: SecretBox, realm: String, request: AuthorizationRequest, now: Int) -> PendingPasswordChange? {
        guard let text = try? secrets.open(sealed) else { return nil }
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == realm, let expiresAt = Int(parts[2]), expiresAt > now, parts[3] == request.digest else { return nil }
        return PendingPasswordChange(realm: parts[0], userId: parts[1], expiresAt: expiresAt, requestDigest: parts[3], passwordDigest: parts[4])
    }
}
