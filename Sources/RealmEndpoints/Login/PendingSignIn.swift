import Foundation
import Secrets

/// A sign-in between its steps: the user has passed the password check and must still give an authenticator code, set
/// up an authenticator, or choose a new password. The next form carries it sealed (AES-GCM with the at-rest key, five
/// minutes), so the page never holds the password itself. It is bound to the authorization request it was made for and
/// to the password hash it was proven against, so it cannot be replayed for another client or once the password
/// changed (RFC 6749 §10.5's single use, for these intermediate steps). It records whether the second factor was
/// passed, and, while an authenticator is being set up, the secret drawn for it (which is stored only once a code
/// proves it was scanned).
struct PendingSignIn: Sendable, Equatable {
    let realm: String
    let userId: String
    let expiresAt: Int
    /// SHA-256 of the authorization request's parameters.
    let requestDigest: String
    /// SHA-256 of the password hash the password matched.
    let passwordDigest: String
    let passedSecondFactor: Bool
    /// Base32 of the secret drawn for an authenticator being set up.
    let enrolmentSecret: String?

    static let lifetime = 300

    /// `passwordDigest`: the digest of the hash the password just matched (`PasswordProof.passwordDigest`).
    init(
        realm: String, userId: String, expiresAt: Int, request: AuthorizationRequest, passwordDigest: String, passedSecondFactor: Bool,
        enrolmentSecret: String? = nil
    ) {
        self.init(
            realm: realm, userId: userId, expiresAt: expiresAt, requestDigest: request.digest, passwordDigest: passwordDigest,
            passedSecondFactor: passedSecondFactor, enrolmentSecret: enrolmentSecret)
    }

    private init(
        realm: String, userId: String, expiresAt: Int, requestDigest: String, passwordDigest: String, passedSecondFactor: Bool, enrolmentSecret: String?
    ) {
        (self.realm, self.userId, self.expiresAt, self.requestDigest, self.passwordDigest) = (realm, userId, expiresAt, requestDigest, passwordDigest)
        (self.passedSecondFactor, self.enrolmentSecret) = (passedSecondFactor, enrolmentSecret)
    }

    func sealed(with secrets: SecretBox) throws -> String {
        try secrets.seal(
            [realm, userId, String(expiresAt), requestDigest, passwordDigest, passedSecondFactor ? "1" : "0", enrolmentSecret ?? ""]
                .joined(separator: "\n"))
    }

    /// The sign-in a sealed value stands for, if it opens, belongs to `realm` and this authorization request, and has
    /// not expired. Whether it still matches the stored password is `PasswordSignIn.pending`'s to say.
    static func open(_ sealed: String, secrets: SecretBox, realm: String, request: AuthorizationRequest, now: Int) -> PendingSignIn? {
        guard let text = try? secrets.open(sealed) else { return nil }
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 7, parts[0] == realm, let expiresAt = Int(parts[2]), expiresAt > now, parts[3] == request.digest else { return nil }
        return PendingSignIn(
            realm: parts[0], userId: parts[1], expiresAt: expiresAt, requestDigest: parts[3], passwordDigest: parts[4], passedSecondFactor: parts[5] == "1",
            enrolmentSecret: parts[6].isEmpty ? nil : parts[6])
    }
}
