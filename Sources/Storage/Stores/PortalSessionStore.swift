import SQLKit

/// A portal session as stored: the cookie itself is never stored, only its SHA-256.
public struct PortalSessionRecord: Sendable, Codable, Equatable {
    public var idHash: String
    public var realm: String
    public var userId: String
    public var realmSessionId: String
    public var createdAt: Int
    public var expiresAt: Int

    public init(idHash: String, realm: String, userId: String, realmSessionId: String, createdAt: Int, expiresAt: Int) {
        self.idHash = idHash
        self.realm = realm
        self.userId = userId
        self.realmSessionId = realmSessionId
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

public struct PortalSessionStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func insert(_ session: PortalSessionRecord) async throws {
        try await sql.insert(into: "portal_sessions").model(session, with: Codecs.encoder).run()
    }

    public func live(idHash: String, now: Int) async throws -> PortalSessionRecord? {
        try await sql.select().column("*").from("portal_sessions").where("id_hash", .equal, idHash).where("expires_at", .greaterThan, now)
            .first(decoding: PortalSessionRecord.self, with: Codecs.decoder)
    }

    public func delete(idHash: String) async throws {
        try await sql.delete(from: "portal_sessions").where("id_hash", .equal, idHash).run()
    }

    public func purgeExpired(now: Int) async throws {
        try await sql.delete(from: "portal_sessions").where("expires_at", .lessThanOrEqual, now).run()
    }
}
