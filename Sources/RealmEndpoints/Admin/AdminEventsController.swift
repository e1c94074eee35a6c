import Domain
import Foundation
import HTTPKit
import Hummingbird
import UseCases

/// `/admin/realms/{realm}/events` (list with Keycloak's filters, DELETE to forget them) and `/events/config` (GET, PUT).
struct AdminEventsController: Sendable {
    let events: LoginEvents
    let realms: Realms
    let update: UpdateRealm

    func addRoutes(to realm: RouterGroup<AdminContext>) {
        realm.get("events", use: list)
        realm.delete("events", use: clear)
        realm.get("events/config", use: config)
        realm.put("events/config", use: setConfig)
    }

    /// Keycloak's `EventRepresentation`.
    struct EventRepresentation: Encodable {
        let id: String
        let time: Int
        let type: String
        let realmId: String
        let clientId: String?
        let userId: String?
        let sessionId: String?
        let ipAddress: String?
        let error: String?
        let details: [String: String]?

        init(_ event: LoginEvent) {
            (id, time, type, realmId) = (event.id, event.time, event.type, event.realm)
            (clientId, userId, sessionId, ipAddress, error) = (event.clientId, event.userId, event.sessionId, event.ipAddress, event.error)
            details = event.details.isEmpty ? nil : event.details
        }
    }

    /// Keycloak's `RealmEventsConfigRepresentation`; unknown members are refused, and only the members sent change.
    struct ConfigRepresentation: Codable, StrictRepresentation {
        var eventsEnabled: Bool?
        var eventsExpiration: Int??
        var eventsListeners: [String]?
        var enabledEventTypes: [String]?
        var adminEventsEnabled: Bool?
        var adminEventsDetailsEnabled: Bool?

        enum CodingKeys: String, CodingKey {
            case eventsEnabled, eventsExpiration, eventsListeners, enabledEventTypes, adminEventsEnabled, adminEventsDetailsEnabled
        }

        static let knownFields: Set<String> = [
            "eventsEnabled", "eventsExpiration", "eventsListeners", "enabledEventTypes", "adminEventsEnabled", "adminEventsDetailsEnabled",
        ]

        init(_ config: EventsConfig) {
            (eventsEnabled, eventsExpiration, eventsListeners) = (config.eventsEnabled, .some(config.eventsExpiration), config.eventsListeners)
            (enabledEventTypes, adminEventsEnabled, adminEventsDetailsEnabled) =
                (config.enabledEventTypes, config.adminEventsEnabled, config.adminEventsDetailsEnabled)
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            eventsEnabled = try container.decodeIfPresent(Bool.self, forKey: .eventsEnabled)
            // Present as null: keep events for ever; absent: leave as it is.
            eventsExpiration = container.contains(.eventsExpiration) ? .some(try container.decodeIfPresent(Int.self, forKey: .eventsExpiration)) : nil
            eventsListeners = try container.decodeIfPresent([String].self, forKey: .eventsListeners)
            enabledEventTypes = try container.decodeIfPresent([String].self, forKey: .enabledEventTypes)
            adminEventsEnabled = try container.decodeIfPresent(Bool.self, forKey: .adminEventsEnabled)
            adminEventsDetailsEnabled = try container.decodeIfPresent(Bool.self, forKey: .adminEventsDetailsEnabled)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(eventsEnabled, forKey: .eventsEnabled)
            try container.encodeIfPresent(eventsExpiration ?? nil, forKey: .eventsExpiration)
            try container.encodeIfPresent(eventsListeners, forKey: .eventsListeners)
            try container.encodeIfPresent(enabledEventTypes, forKey: .enabledEventTypes)
            try container.encodeIfPresent(adminEventsEnabled, forKey: .adminEventsEnabled)
            try container.encodeIfPresent(adminEventsDetailsEnabled, forKey: .adminEventsDetailsEnabled)
        }
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let query = AdminListQuery(request)
        let filter = LoginEventFilter(
            types: request.uri.queryParameters.getAll("type").map { String($0) }.filter { !$0.isEmpty }, clientId: query.string("client"),
            userId: query.string("user"), ipAddress: query.string("ipAddress"), from: try Self.day(query.string("dateFrom"), "dateFrom"),
            to: try Self.day(query.string("dateTo"), "dateTo").map { $0.addingSaturated(86_400_000 - 1) })
        let listed = try await events.list(context.principal, realm: try context.parameters.require("realm"), filter: filter, window: try query.window(defaultMax: 100))
        return JSONBody.response(listed.map(EventRepresentation.init))
    }

    @Sendable func clear(_ request: Request, context: AdminContext) async throws -> Response {
        try await events.clear(context.principal, realm: try context.parameters.require("realm"))
        return Response(status: .noContent)
    }

    @Sendable func config(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await realms.administered(by: context.principal, name: try context.parameters.require("realm"))
        return JSONBody.response(ConfigRepresentation(realm.events))
    }

    @Sendable func setConfig(_ request: Request, context: AdminContext) async throws -> Response {
        let body = try await request.decode(as: ConfigRepresentation.self, context: context)
        var settings = try RealmSettings()
        settings.events = try EventsChange(
            eventsEnabled: body.eventsEnabled, eventsExpiration: body.eventsExpiration, eventsListeners: body.eventsListeners,
            enabledEventTypes: body.enabledEventTypes, adminEventsEnabled: body.adminEventsEnabled, adminEventsDetailsEnabled: body.adminEventsDetailsEnabled)
        try await update(context.principal, realm: try context.parameters.require("realm"), settings: settings)
        return Response(status: .noContent)
    }

    /// `yyyy-MM-dd` (UTC) as Keycloak takes `dateFrom`/`dateTo`: the day's first millisecond.
    static func day(_ text: String?, _ name: String) throws -> Int? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        guard text.utf8.count == 10, let date = formatter.date(from: text) else {
            throw AdminError.badRequest("Invalid value for '\(name)', expected format is yyyy-MM-dd")
        }
        return Int(date.timeIntervalSince1970) * 1_000
    }
}
