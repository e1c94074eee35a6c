import Foundation
import Domain
import Secrets
import Storage

/// Two-factor sign-in with time-based codes (RFC 6238): whether a user must give a code or set up an authenticator,
/// drawing a secret to enrol, enrolling, checking codes — each code once, whatever node and however many requests at
/// once — and the authenticators administrators and their owners list and remove. Secrets are sealed at rest like
/// client secrets; a drawn secret travels sealed in the enrolment form until its first code proves it was scanned.
public struct TwoFactor: Sendable {
    let changes: ChangeLog
    let secrets: SecretBox
    let clock: EpochClock

    public init(changes: ChangeLog, secrets: SecretBox, clock: EpochClock) {
        self.changes = changes
        self.secrets = secrets
        self.clock = clock
    }

    /// What signing in asks of a user after their password.
    public enum Requirement: Sendable, Equatable {
        case none
        /// A code from one of their authenticators.
        case code
        /// Setting one up (their `CONFIGURE_TOTP`, or a role the realm's policy names), then its first code.
        case enrol(OTPPolicy)
    }

    public func requirement(for user: User) async throws -> Requirement {
        try await changes.read { sql in
            guard try await OTPCredentialStore(sql).all(userId: user.id).isEmpty else { return .code }
            guard let realm = try await RealmStore(sql).find(user.realm), realm.requiredActions[.configureTOTP].enabled else { return .none }
            let policy = realm.otpPolicy
            if user.mustConfigureOTP { return .enrol(policy) }
            guard !policy.requiredForRoles.isEmpty else { return .none }
            let held = Set(try await EffectiveRoles.read(userId: user.id, on: sql).realm)
            return held.isDisjoint(with: policy.requiredForRoles) ? .none : .enrol(policy)
        }
    }

    /// The realm's policy, which an authenticator set up now follows.
    public func policy(realm: String) async throws -> OTPPolicy {
        try await changes.read { sql in try await RealmStore(sql).find(realm)?.otpPolicy } ?? OTPPolicy()
    }

    /// A secret drawn for enrolment, with what an authenticator app needs.
    public struct Enrolment: Sendable {
        public let secret: [UInt8]
        /// The secret for typing in (base32, in groups of four).
        public let typed: String
        /// `otpauth://totp/…`, what the QR code holds.
        public let uri: String
        public let policy: OTPPolicy
    }

    public func draw(for user: User, policy: OTPPolicy, secret: [UInt8] = TOTP.newSecret()) -> Enrolment {
        let encoded = Base32.encode(secret)
        let issuer = Self.uriComponent(user.realm)
        let uri =
            "otpauth://totp/\(issuer):\(Self.uriComponent(user.username))?secret=\(encoded)&issuer=\(issuer)"
            + "&algorithm=\(policy.algorithm.uriName)&digits=\(policy.digits)&period=\(policy.period)"
        let typed = stride(from: 0, to: encoded.count, by: 4).map { start in
            String(encoded.dropFirst(start).prefix(4))
        }.joined(separator: " ")
        return Enrolment(secret: secret, typed: typed, uri: uri, policy: policy)
    }

    public enum Outcome: Sendable, Equatable {
        case accepted
        /// Not a code of the authenticator now.
        case wrong
        /// A code that was already used (or a drawn secret that was enrolled already).
        case reused
        /// Too many wrong codes lately: none is checked until the window ends.
        case tooManyGuesses
    }

    /// Enrols the authenticator whose drawn secret `code` proves was scanned; the user's `CONFIGURE_TOTP` is done. A
    /// drawn secret enrols once, however many requests carry it at the same moment or later (its sealed form can be
    /// posted again): the first enrolment records it in `consumed_tokens`, which every other one finds.
    public func enrol(_ user: User, secret: [UInt8], policy: OTPPolicy, code: String, label: String) async throws -> Outcome {
        let now = clock.now
        guard let step = TOTP.matchingStep(
            code, secret: secret, at: now, period: policy.period, window: policy.lookAroundWindow, algorithm: policy.algorithm, digits: policy.digits)
        else { return .wrong }
        let credential = OTPCredential(
            id: Identifiers.uuid(), userId: user.id, realm: user.realm, label: Self.label(label), algorithm: policy.algorithm, digits: policy.digits,
            period: policy.period, createdAt: now)
        let sealed = try secrets.seal(Base32.encode(secret))
        let used = Self.usedCode(credentialId: credential.id, step: step)
        let expiresAt = Self.usedUntil(step: step, policy: policy)
        let enrolled = TokenDigest.sha256Hex("otp-enrolment\n\(user.id)\n\(Base32.encode(secret))")
        return try await changes.commit { sql in
            guard try await UserStore(sql).find(realm: user.realm, id: user.id) != nil else { throw AdministrationError.notFound(.user) }
            guard try await ConsumedTokenStore(sql).consume(hash: enrolled, expiresAt: now.addingSaturated(Self.enrolmentMemory)) else { return .reused }
            try await OTPCredentialStore(sql).insert(credential, sealedSecret: sealed)
            _ = try await ConsumedTokenStore(sql).consume(hash: used, expiresAt: expiresAt)
            _ = try await UserStore(sql).change(
                realm: user.realm, id: user.id, email: nil, firstName: nil, lastName: nil, enabled: nil, emailVerified: nil, mustChangePassword: nil,
                mustConfigureOTP: false)
            return .accepted
        }
    }

    /// Checks a code against the user's authenticators and uses it up: of simultaneous presentations of one code, one
    /// is accepted (an insert into `consumed_tokens` decides). Whatever the realm's brute-force settings, each code is
    /// counted as a guess before it is checked, across nodes, and a right one clears the count: after
    /// `guessesPerWindow` unsuccessful ones within `guessWindow` seconds no code is checked until the window ends
    /// (`.tooManyGuesses`), however many arrive at once — knowing the password must not buy unlimited guesses at a
    /// million codes.
    public func verify(_ user: User, code: String) async throws -> Outcome {
        let now = clock.now
        let (windowSince, userId) = (now.addingSaturated(-Self.guessWindow), user.id)
        let guesses = try await changes.database.transaction { sql in
            try await OTPFailureStore(sql).count(userId: userId, at: now, windowSince: windowSince)
        }
        guard guesses <= Self.guessesPerWindow else { return .tooManyGuesses }
        let (stored, policy) = try await changes.read { sql in
            (try await OTPCredentialStore(sql).all(userId: userId), try await RealmStore(sql).find(user.realm)?.otpPolicy ?? OTPPolicy())
        }
        for entry in stored {
            guard let text = try? secrets.open(entry.sealedSecret), let secret = Base32.decode(text) else { continue }
            let credential = entry.credential
            guard let step = TOTP.matchingStep(
                code, secret: secret, at: now, period: credential.period, window: policy.lookAroundWindow, algorithm: credential.algorithm,
                digits: credential.digits)
            else { continue }
            var window = policy
            window.period = credential.period
            let (used, expiresAt) = (Self.usedCode(credentialId: credential.id, step: step), Self.usedUntil(step: step, policy: window))
            let first = try await changes.database.transaction { sql in
                let first = try await ConsumedTokenStore(sql).consume(hash: used, expiresAt: expiresAt)
                if first { try await OTPFailureStore(sql).clear(userId: user.id) }
                return first
            }
            return first ? .accepted : .reused
        }
        return .wrong
    }

    // MARK: Listing and removing

    public func credentials(_ actor: Principal, realm: String, userId: String) async throws -> [OTPCredential] {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await changes.read { sql in
            guard try await UserStore(sql).find(realm: realm, id: userId) != nil else { throw AdministrationError.notFound(.user) }
            return try await OTPCredentialStore(sql).all(userId: userId).map(\.credential)
        }
    }

    /// Which of these users of the realm have an authenticator (Keycloak's `totp` in a user's representation).
    public func holders(_ actor: Principal, realm: String, among userIds: [String]) async throws -> Set<String> {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        return try await changes.read { sql in try await OTPCredentialStore(sql).holders(among: userIds) }
    }

    /// Removes an authenticator; `Credential not found` when the user has none with that id.
    public func remove(_ actor: Principal, realm: String, userId: String, credentialId: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageUsers)
        try await remove(realm: realm, userId: userId, credentialId: credentialId, by: actor)
    }

    /// The signed-in user's own authenticators.
    public func own(_ user: Principal) async throws -> [OTPCredential] {
        try await changes.read { sql in try await OTPCredentialStore(sql).all(userId: user.subject).map(\.credential) }
    }

    public func removeOwn(_ user: Principal, credentialId: String) async throws {
        try AccountError.require(user, .manage)
        try await remove(realm: user.realm, userId: user.subject, credentialId: credentialId)
    }

    /// `administrator`: who removes another user's authenticator (`PrivilegeGuard` decides whether they may).
    private func remove(realm: String, userId: String, credentialId: String, by administrator: Principal? = nil) async throws {
        try await changes.commit(onUser: userId, realm: realm) { _, sql in
            if let administrator { try await PrivilegeGuard.requireOutranks(administrator, userId: userId, realm: realm, on: sql) }
            guard try await OTPCredentialStore(sql).delete(id: credentialId, userId: userId) else { throw AdministrationError.notFound(.credential) }
        }
    }

    // MARK: Rules

    /// Wrong codes a user may send per window, across nodes, before codes are refused until it ends: with six digits
    /// and a look-around of one, 240 guesses a day find a code with a chance of about 1 in 1,400.
    static let guessesPerWindow = 10
    static let guessWindow = 3_600
    /// How long an enrolled secret is remembered as enrolled: longer than any enrolment form lives.
    static let enrolmentMemory = 3_600

    /// What `consumed_tokens` records for a used code: the credential and the time step, hashed.
    static func usedCode(credentialId: String, step: Int) -> String { TokenDigest.sha256Hex("otp\n\(credentialId)\n\(step)") }

    /// A used code is remembered until no window can accept it any more.
    static func usedUntil(step: Int, policy: OTPPolicy) -> Int {
        (step + policy.lookAroundWindow + 1).multipliedSaturated(by: policy.period).addingSaturated(policy.period)
    }

    /// An authenticator's name as its owner gave it: without control or invisible formatting characters (no
    /// direction overrides), trimmed, at most 64 Unicode scalars, "Authenticator" when empty.
    static func label(_ text: String) -> String {
        let visible = text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0.properties.generalCategory != .format }
        let trimmed = String(String.UnicodeScalarView(visible)).trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "Authenticator" : String(String.UnicodeScalarView(trimmed.unicodeScalars.prefix(64)))
    }

    /// Percent-encodes all but unreserved characters (RFC 3986), for the `otpauth://` label and issuer.
    static func uriComponent(_ text: String) -> String {
        text.utf8.map { byte -> String in
            let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || [0x2D, 0x2E, 0x5F, 0x7E].contains(byte)
            return unreserved ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
    }
}
