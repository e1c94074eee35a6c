import Domain
import SQLKit

/// A realm's stored login events, newest first as Keycloak lists them.
public struct LoginEventStore: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    private struct Row: Codable {
        var id: String
        var realm: String
        var time: Int
        var type: String
        var clientId: String?
        var userId: String?
        var sessionId: String?
        var ipAddress: String?
        var error: String?
        var details: String

        init(_ event: LoginEvent) {
            (id, realm, time, type) = (event.id, event.realm, event.time, event.type)
            (clientId, userId, sessionId, ipAddress, error) = (event.clientId, event.userId, event.sessionId, event.ipAddress, event.error)
            details = JSONColumn.text(event.details)
        }

        var event: LoginEvent {
            LoginEvent(
                id: id, realm: realm, time: time, type: type, clientId: clientId, userId: userId, sessionId: sessionId, ipAddress: ipAddress,
                error: error, details: JSONColumn.value(details) ?? [:])
        }
    }

    public func insert(_ event: LoginEvent) async throws {
        try await sql.insert(into: "login_events").model(Row(event), with: Codecs.encoder).run()
    }

    public func list(realm: String, filter: LoginEventFilter, window: ListWindow) async throws -> [LoginEvent] {
        let query = sql.select().column("*").from("login_events").where("realm", .equal, realm)
        if !filter.types.isEmpty { query.where("type", .in, SQLBind.group(filter.types)) }
        if let clientId = filter.clientId { query.where("client_id", .equal, clientId) }
        if let userId = filter.userId { query.where("user_id", .equal, userId) }
        if let ipAddress = filter.ipAddress { query.where("ip_address", .equal, ipAddress) }
        if let from = filter.from { query.where("time", .greaterThanOrEqual, from) }
        if let to = filter.to { query.where("time", .lessThanOrEqual, to) }
        return try await query.orderBy("time", .descending).orderBy("id", .descending).window(window)
            .all(decoding: Row.self, with: Codecs.decoder).map(\.event)
    }

    /// Forgets the realm's events older than `before` (epoch milliseconds), or all of them.
    public func delete(realm: String, before: Int? = nil) async throws {
        let query = sql.delete(from: "login_events").where("realm", .equal, realm)
        if let before { query.where("time", .lessThan, before) }
        try await query.run()
    }
}
