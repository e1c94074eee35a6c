import Domain
import Secrets
import Storage

/// Accepts a sealed value (an embed link's token, the portal's login continuation) once, however many requests present
/// it at the same moment: the first presentation records its hash, every other one is refused. Only values that opened
/// (so: genuine, unexpired, in their one URL spelling — `SecretBox.openFromURL`) reach here; a replay is answered from a
/// read, without a write.
public struct ConsumeOnce: Sendable {
    let database: any Database

    public init(database: any Database) { self.database = database }

    /// True the first time `sealed` is presented before `expiresAt`.
    public func callAsFunction(_ sealed: String, expiresAt: Int) async throws -> Bool {
        let hash = TokenDigest.sha256Hex(sealed)
        if try await database.read({ sql in try await ConsumedTokenStore(sql).isConsumed(hash: hash) }) { return false }
        return try await database.transaction { sql in try await ConsumedTokenStore(sql).consume(hash: hash, expiresAt: expiresAt) }
    }
}
