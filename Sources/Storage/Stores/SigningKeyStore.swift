import Domain
import SQLKit

/// A stored signing key; the private key (PEM or raw HMAC secret) is sealed with the at-rest key.
public struct StoredSigningKey: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Signs new tokens and verifies.
        case active
        /// Only verifies tokens it signed earlier, until `retireAfter`.
        case passive
    }

    public var kid: String
    public var realm: String
    public var algorithm: KeyAlgorithm
    public var sealedPrivateKey: String
    public var status: Status
    public var createdAt: Int
    public var retireAfter: Int?

    public init(kid: String, realm: String, algorithm: KeyAlgorithm, sealedPrivateKey: String, status: Status, createdAt: Int, retireAfter: Int? = nil) {
        self.kid = kid
        self.realm = realm
        self.algorithm = algorithm
        self.sealedPrivateKey = sealedPrivateKey
        self.status = status
        self.createdAt = createdAt
        self.retireAfter = retireAfter
    }
}

/// Signing keys per realm.
public struct SigningKeyStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func insert(_ key: StoredSigningKey) async throws {
        try await sql.insert(into: "signing_keys").model(key, with: Codecs.encoder).run()
    }

    /// Keys that may still verify something: active and passive ones not yet past `retireAfter`.
    public func live(realm: String, now: Int) async throws -> [StoredSigningKey] {
        try await sql.select().column("*").from("signing_keys")
            .where("realm", .equal, realm)
            .where { $0.where("retire_after", .is, SQLLiteral.null).orWhere("retire_after", .greaterThan, now) }
            .orderBy("created_at", .descending)
            .all(decoding: StoredSigningKey.self, with: Codecs.decoder)
    }

    /// Turns the realm's active keys of these algorithms passive, to be retired after `retireAfter`.
    public func demoteActive(realm: String, algorithms: [KeyAlgorithm], retireAfter: Int) async throws {
        try await sql.update("signing_keys")
            .set("status", to: StoredSigningKey.Status.passive.rawValue)
            .set("retire_after", to: retireAfter)
            .where("realm", .equal, realm)
            .where("status", .equal, StoredSigningKey.Status.active.rawValue)
            .where("algorithm", .in, algorithms.map(\.rawValue))
            .run()
    }

    /// Deletes keys whose retirement time has passed.
    public func purgeRetired(now: Int) async throws {
        try await sql.delete(from: "signing_keys").where("retire_after", .lessThanOrEqual, now).run()
    }
}
