import Domain
import SQLKit

/// One audit entry: who did what to which key, when and from where — never the key itself.
public struct AuditEvent: Sendable, Codable, Equatable {
    public var id: String
    public var realm: String
    public var at: Int
    public var actorId: String?
    public var action: AuditAction
    public var keyId: String?
    public var hint: String?
    public var address: String?
    public var detail: String

    public init(id: String, realm: String, at: Int, actorId: String?, action: AuditAction, keyId: String?, hint: String?, address: String?, detail: String = "") {
        self.id = id
        self.realm = realm
        self.at = at
        self.actorId = actorId
        self.action = action
        self.keyId = keyId
        self.hint = hint
        self.address = address
        self.detail = detail
    }
}

/// The audit trail of key events.
public struct AuditStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    public func record(_ event: AuditEvent) async throws {
        try await sql.insert(into: "audit_events").model(event, with: Codecs.encoder).run()
    }

    /// Newest first, optionally only one action.
    public func list(realm: String, action: AuditAction?, limit: Int) async throws -> [AuditEvent] {
        let query = sql.select().column("*").from("audit_events").where("realm", .equal, realm)
        if let action { query.where("action", .equal, action.rawValue) }
        return try await query.orderBy("at", .descending).orderBy("id", .descending).limit(limit).all(decoding: AuditEvent.self, with: Codecs.decoder)
    }
}
