import Domain
import SQLKit

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
