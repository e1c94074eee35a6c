import HummingbirdBcrypt
import NIOPosix

/// Hashes and checks user passwords with bcrypt (adaptive) off the event loops.
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
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        return matches && !hash.isEmpty && hash != Self.decoy
    }

    /// A valid hash of a random string, so unknown users take as long as known ones.
    private static let decoy = Bcrypt.hash("decoy-\(UInt64.random(in: 0 ... .max))", cost: 10)
}
