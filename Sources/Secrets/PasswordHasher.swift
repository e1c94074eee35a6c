import HummingbirdBcrypt

/// Hashes user passwords with bcrypt (adaptive) and checks them on the hashing threads (`HashingPool`), never on the
/// event loops or the database's threads — bcrypt, and the PBKDF2 and Argon2 hashes imported from Keycloak until
/// `needsRehash` has them replaced at the user's next sign-in.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    let pool: HashingPool

    public init(cost: UInt8 = 10, pool: HashingPool = .shared) {
        self.cost = cost
        self.pool = pool
    }

    /// A new hash; waits for a hashing thread however busy they are (administrators set passwords rarely).
    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await pool.run(limited: false) { Bcrypt.hash(password, cost: cost) }
    }

    /// A new hash for a sign-in that just succeeded (an imported hash replaced): `HashingPool.Busy` rather than a wait.
    public func rehash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await pool.run(limited: true) { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`, for a sign-in: `HashingPool.Busy` when every hashing thread and its queue is
    /// taken. A nil hash (service accounts, users without a password) never verifies, but costs the same time.
    public func verify(_ password: String, hash: String?) async throws -> Bool {
        let hash = hash ?? Self.decoy
        let matches = try await pool.run(limited: true) { Self.check(password, hash: hash) }
        return matches && !hash.isEmpty && hash != Self.decoy
    }

    /// Whether a hash that just verified should be replaced by a bcrypt hash of ours: an imported one, or bcrypt of
    /// another cost (an imported one, or ours before the cost changed).
    public func needsRehash(_ hash: String) -> Bool {
        guard PasswordHashFormat.algorithm(of: hash) == "bcrypt" else { return true }
        return Int(hash.dropFirst(4).prefix(2)) != Int(cost)
    }

    /// A hash costlier than `KeycloakPasswordHash.Limits` (one stored before the limits were lowered) never verifies: its
    /// user is given a new password instead of every attempt costing seconds.
    private static func check(_ password: String, hash: String) -> Bool {
        if hash.hasPrefix(PasswordHashFormat.keycloakPrefix) { return KeycloakPasswordHash.verifyPBKDF2(password, stored: hash) }
        if hash.hasPrefix("$argon2") { return SystemArgon2.verify(password, encoded: hash) }
        guard let cost = Int(hash.dropFirst(4).prefix(2)), KeycloakPasswordHash.Limits.bcryptCost.contains(cost) else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    /// A valid hash of a random string, so unknown users take as long as known ones.
    private static let decoy = Bcrypt.hash("decoy-\(UInt64.random(in: 0 ... .max))", cost: 10)
}
