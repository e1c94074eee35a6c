import Domain
import SQLKit
import Secrets
import Storage

/// A password that breaks the realm's policy, in Keycloak's terms: its message key and its sentence.
public struct PasswordPolicyViolation: UseCaseError, Equatable {
    public let violation: PasswordPolicy.Violation

    public var kind: UseCaseErrorKind { .invalid(field: "password", rule: .pattern) }
    public var message: String { violation.message }
}

/// The realm's password policy, applied wherever a password is set: the admin REST's create and reset, the forced
/// change at sign-in. Earlier passwords are compared hash by hash for `passwordHistory`, on the hashing threads and
/// outside any transaction.
public struct PasswordRules: Sendable {
    let passwords: PasswordHasher

    public init(passwords: PasswordHasher) { self.passwords = passwords }

    /// What a check needs from storage: the user's current hash and the earlier ones the policy remembers.
    public struct Earlier: Sendable {
        let hashes: [String]

        public static let none = Earlier(hashes: [])
    }

    /// Reads the hashes `policy` compares a new password with (the current one first).
    public static func earlier(userId: String, currentHash: String?, policy: PasswordPolicy, on sql: any SQLDatabase) async throws -> Earlier {
        guard let depth = policy.historyDepth else { return .none }
        let older = try await PasswordHistoryStore(sql).recent(userId: userId, limit: depth - 1)
        return Earlier(hashes: Array(([currentHash].compactMap { $0 } + older).prefix(depth)))
    }

    /// Throws `PasswordPolicyViolation` for the first rule `password` breaks.
    public func check(_ password: String, username: String, email: String?, policy: PasswordPolicy, earlier: Earlier = .none) async throws {
        if let violation = policy.violation(of: password, username: username, email: email) { throw PasswordPolicyViolation(violation: violation) }
        guard let depth = policy.historyDepth else { return }
        for hash in earlier.hashes where try await passwords.verify(password, hash: hash) {
            throw PasswordPolicyViolation(violation: PasswordPolicy.historyViolation(depth: depth))
        }
    }

    /// After a password was replaced, in the same transaction: remembers the replaced hash as deep as the policy asks.
    public static func replaced(_ hash: String?, userId: String, policy: PasswordPolicy, now: Int, on sql: any SQLDatabase) async throws {
        guard let hash, let depth = policy.historyDepth, depth > 1 else { return }
        try await PasswordHistoryStore(sql).remember(userId: userId, hash: hash, at: now, keep: depth - 1)
    }
}
