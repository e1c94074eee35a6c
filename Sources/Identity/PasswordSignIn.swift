import Domain
import Secrets
import Storage
import UseCases

/// A user who has just proven their password. It carries the hash the password matched only inside this module, so a
/// forced change replaces exactly that one; front ends see a digest of it (`passwordDigest`) to bind a pending change.
public struct PasswordProof: Sendable {
    public let user: User
    let passwordHash: String?

    /// SHA-256 of the matched hash: what a sealed pending change names, never the hash itself.
    public var passwordDigest: String? { passwordHash.map(TokenDigest.sha256Hex) }
}

/// Sign-in with a username and password, for the password grant and the login page alike. The throttle is asked
/// first (`CredentialRefused.throttled`); a wrong username and a wrong password look the same to the caller
/// (`CredentialRefused.password`) and count for the throttle, a disabled account is `.accountDisabled`; a password that matched a hash
/// imported from Keycloak is rehashed with ours on the spot. Hashing runs on its own threads (`HashingPool`): when
/// they are all busy the caller gets `HashingPool.Busy`. With the realm's brute-force detection on, wrong passwords
/// for a user are counted in storage (`SignInFailures`), and a locked user is refused like a wrong password — without
/// the password being tried, so guesses during a lockout teach nothing.
public struct PasswordSignIn: Sendable {
    let database: any Database
    let passwords: PasswordHasher
    let throttle: FailureThrottle
    let failures: SignInFailures
    let clock: EpochClock

    public init(database: any Database, passwords: PasswordHasher, throttle: FailureThrottle, failures: SignInFailures, clock: EpochClock) {
        self.database = database
        self.passwords = passwords
        self.throttle = throttle
        self.failures = failures
        self.clock = clock
    }

    /// What the throttle counts: the realm's username, case-insensitively, from one address.
    static func attempt(realm: String, username: String?, address: String) -> FailureThrottle.Attempt {
        FailureThrottle.Attempt(credential: "user:\(realm)/\(username?.lowercased() ?? "")", address: address)
    }

    public func callAsFunction(realm: String, username: String?, password: String?, address: String) async throws -> PasswordProof {
        let attempt = Self.attempt(realm: realm, username: username, address: address)
        if let wait = throttle.retryAfter(attempt) { throw CredentialRefused.throttled(retryAfter: wait) }
        let username = username ?? ""
        // With counted failures, whether a code still has to follow: then only the code's success clears them.
        let found: (UserStore.Credentials, Realm?, LoginFailures?, codeFollows: Bool)? =
            Names.isValidIdentifier(username)
            ? try await database.read { sql in
                guard let credentials = try await UserStore(sql).credentials(realm: realm, username: username) else { return nil }
                let realm = try await RealmStore(sql).find(realm)
                let failures = realm?.bruteForce.enabled == true ? try await LoginFailureStore(sql).find(userId: credentials.user.id) : nil
                let codeFollows = failures != nil ? try await !OTPCredentialStore(sql).all(userId: credentials.user.id).isEmpty : false
                return (credentials, realm, failures, codeFollows)
            }
            : nil
        let bruteForce = found?.1?.bruteForce ?? BruteForcePolicy()
        if SignInFailures.isLocked(found?.2, policy: bruteForce, now: clock.now) {
            // Refused like a wrong password, taking as long as one (a quick answer would tell that the account exists).
            _ = try await passwords.verify(password ?? "", hash: nil)
            throw CredentialRefused.password
        }
        let matches = try await passwords.verify(password ?? "", hash: found?.0.passwordHash)
        guard var credentials = found?.0, matches, credentials.user.serviceAccountClientId == nil else {
            throttle.recordFailure(attempt)
            if let user = found?.0.user, user.serviceAccountClientId == nil { try await failures.failed(user: user, policy: bruteForce, address: address) }
            throw CredentialRefused.password
        }
        throttle.recordSuccess(attempt)
        if found?.2 != nil, found?.codeFollows == false { try await failures.succeeded(userId: credentials.user.id) }
        guard credentials.user.enabled else { throw CredentialRefused.accountDisabled }
        if let days = found?.1?.policy.expiryDays, !credentials.user.mustChangePassword, let setAt = credentials.passwordSetAt,
            setAt.addingSaturated(days * 86_400) <= clock.now
        {
            // `forceExpiredPasswordChange`: an expired password signs in once more, to choose the next one, as a
            // required change the login page asks for (the password grant refuses it: "Account is not fully set up").
            let userId = credentials.user.id
            try await database.transaction { sql in try await UserStore(sql).requirePasswordChange(id: userId) }
            credentials.user.mustChangePassword = true
        }
        // `UPDATE_PASSWORD` switched off for the realm: nobody is asked to change their password at sign-in.
        if found?.1?.requiredActions[.updatePassword].enabled == false { credentials.user.mustChangePassword = false }
        // Best effort: the password was right, and a rehash that fails now (or finds the hashing threads busy) is tried
        // again at the next sign-in.
        if let hash = credentials.passwordHash, let password, passwords.needsRehash(hash), let replacement = try? await passwords.rehash(password) {
            let userId = credentials.user.id
            if (try? await database.transaction({ sql in try await UserStore(sql).rehash(id: userId, expected: hash, with: replacement) })) != nil {
                return PasswordProof(user: credentials.user, passwordHash: replacement)
            }
        }
        return PasswordProof(user: credentials.user, passwordHash: credentials.passwordHash)
    }

    /// The proof a sign-in between its steps stands for (a code to give, an authenticator to set up, a password to
    /// choose), if the user is still enabled, not locked by brute-force detection, and still has the password whose
    /// digest it names.
    public func pending(realm: String, userId: String, passwordDigest: String) async throws -> PasswordProof? {
        let read: (UserStore.Credentials, Realm?, LoginFailures?)? = try await database.read { sql in
            guard let credentials = try await UserStore(sql).credentials(realm: realm, id: userId) else { return nil }
            return (credentials, try await RealmStore(sql).find(realm), try await LoginFailureStore(sql).find(userId: userId))
        }
        guard let (found, stored, counted) = read, found.user.enabled, let hash = found.passwordHash,
            ConstantTime.equals(TokenDigest.sha256Hex(hash), passwordDigest),
            !SignInFailures.isLocked(counted, policy: stored?.bruteForce ?? BruteForcePolicy(), now: clock.now)
        else { return nil }
        var user = found.user
        if stored?.requiredActions[.updatePassword].enabled == false { user.mustChangePassword = false }
        return PasswordProof(user: user, passwordHash: hash)
    }

    public enum ForcedChange: Sendable, Equatable {
        /// Replaced; the digest of the new hash, which the session opened next is proven with.
        case replaced(passwordDigest: String)
        /// The new password breaks the rule people's own passwords follow, or repeats the old one; the message says so.
        case refused(String)
        /// The stored password changed meanwhile (another tab finished first, or an administrator reset it).
        case expired

        public var isReplaced: Bool {
            if case .replaced = self { return true }
            return false
        }
    }

    /// Sets the password the proven user chose when they had to change theirs. One statement checks that the matched
    /// hash is still stored and replaces it, so two submissions of one change cannot both succeed.
    public func replaceRequiredPassword(_ proof: PasswordProof, with chosen: String?, now: Int) async throws -> ForcedChange {
        guard let current = proof.passwordHash, proof.user.mustChangePassword else { return .expired }
        let password: UserPassword
        do { password = try UserPassword(chosen, field: "password-new", setBy: .owner) } catch { return .refused(error.message) }
        guard try await !passwords.verify(password.value, hash: current) else { return .refused(UserPassword.chosenSameAsBefore) }
        let user = proof.user
        let (policy, earlier) = try await database.read { sql in
            let policy = try await RealmStore(sql).find(user.realm)?.policy ?? .none
            return (policy, try await PasswordRules.earlier(userId: user.id, currentHash: current, policy: policy, on: sql))
        }
        do {
            try await PasswordRules(passwords: passwords).check(password.value, username: user.username, email: user.email, policy: policy, earlier: earlier)
        } catch let refused as PasswordPolicyViolation {
            return .refused(refused.message)
        }
        let hash = try await passwords.hash(password.value)
        let replaced = try await database.transaction { sql in
            guard try await UserStore(sql).replaceRequiredPassword(id: user.id, expected: current, with: hash, at: now) else { return false }
            try await PasswordRules.replaced(current, userId: user.id, policy: policy, now: now, on: sql)
            return true
        }
        return replaced ? .replaced(passwordDigest: TokenDigest.sha256Hex(hash)) : .expired
    }
}
