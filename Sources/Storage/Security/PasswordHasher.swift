import HummingbirdBcrypt
import NIOPosix

/// Hashes user passwords with bcrypt (adaptive) and checks them off the event loops — bcrypt, and the PBKDF2 and
/// Argon2 hashes imported from Keycloak until `needsRehash` has them replaced at the user's next sign-in.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: UInt8 = 10) { self.cost = cost }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// A nil hash (service accounts, users without a password) never verifies, but costs the same time.
    public func verify(_ password: String, hash: String?) async throws -> Bool {
        let hash = hash ?? Self.decoy
        let matches = try await NIOThreadPool.singleton.runIfActive { Self.check(password, hash: hash) }
        return matches && !hash.isEmpty && hash != Self.decoy
    }

    /// Whether a hash that just verified should be replaced by a bcrypt hash of ours: an imported one, or bcrypt of
    /// another cost (an imported one, or ours before the cost changed).
    public func needsRehash(_ hash: String) -> Bool {
        guard PasswordHashFormat.algorithm(of: hash) == "bcrypt" else { return true }
        return Int(hash.dropFirst(4).prefix(2)) != Int(cost)
    }

    private static func check(_ password: String, hash: String) -> Bool {
        if hash.hasPrefix(PasswordHashFormat.keycloakPrefix) { return KeycloakPasswordHash.verifyPBKDF2(password, stored: hash) }
        if hash.hasPrefix("$argon2") { return SystemArgon2.verify(password, encoded: hash) }
        return Bcrypt.verify(password, hash: hash)
    }

    /// A valid hash of a random string, so unknown users take as long as known ones.
    private static let decoy = Bcrypt.hash("decoy-\(UInt64.random(in: 0 ... .max))", cost: 10)
}
