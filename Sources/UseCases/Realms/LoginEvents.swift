import Domain
import Storage
import Synchronization

/// Login events as Keycloak keeps them: written only while the realm's events are enabled (so a realm that does not
/// want them pays nothing on its sign-ins), read by administrators at `/events`, forgotten after `eventsExpiration`.
/// Writing is best effort — a sign-in never fails because its event could not be stored.
public struct LoginEvents: Sendable {
    let changes: ChangeLog
    let clock: EpochClock
    private let purged = PurgeSchedule()

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    /// What an event says besides its type and realm.
    public struct Facts: Sendable {
        public var clientId: String?
        public var userId: String?
        public var sessionId: String?
        public var ipAddress: String?
        public var error: String?
        public var details: [String: String]

        public init(
            clientId: String? = nil, userId: String? = nil, sessionId: String? = nil, ipAddress: String? = nil, error: String? = nil,
            details: [String: String] = [:]
        ) {
            (self.clientId, self.userId, self.sessionId, self.ipAddress, self.error, self.details) = (clientId, userId, sessionId, ipAddress, error, details)
        }
    }

    public func record(_ kind: LoginEvent.Kind, realm: Realm, _ facts: Facts) async {
        guard realm.events.records(kind) else { return }
        let now = clock.now
        let event = LoginEvent(
            id: Identifiers.uuid(), realm: realm.name, time: clock.nowMilliseconds, type: kind.rawValue, clientId: facts.clientId,
            userId: facts.userId, sessionId: facts.sessionId, ipAddress: facts.ipAddress, error: facts.error, details: facts.details)
        let expiredBefore = realm.events.eventsExpiration.flatMap { purged.due(realm.name, now: now) ? now.addingSaturated(-$0).keycloakMilliseconds : nil }
        _ = try? await changes.database.transaction { sql in
            try await LoginEventStore(sql).insert(event)
            if let expiredBefore { try await LoginEventStore(sql).delete(realm: event.realm, before: expiredBefore) }
        }
    }

    public func list(_ actor: Principal, realm: String, filter: LoginEventFilter, window: ListWindow) async throws -> [LoginEvent] {
        try Administration.authorize(actor, realm: realm, .viewEvents)
        let now = clock.now
        return try await changes.read { sql in
            guard let config = try await RealmStore(sql).find(realm)?.events else { throw AdministrationError.notFound(.realm) }
            var filter = filter
            if let expiration = config.eventsExpiration {
                filter.from = max(filter.from ?? .min, now.addingSaturated(-expiration).keycloakMilliseconds)
            }
            return try await LoginEventStore(sql).list(realm: realm, filter: filter, window: window)
        }
    }

    /// `DELETE /events`: forgets every stored event of the realm.
    public func clear(_ actor: Principal, realm: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageEvents)
        try await changes.database.transaction { sql in try await LoginEventStore(sql).delete(realm: realm) }
    }
}

/// Expired events are deleted with a new one, at most every ten minutes per realm and node.
private final class PurgeSchedule: Sendable {
    private let last = Mutex<[String: Int]>([:])

    func due(_ realm: String, now: Int) -> Bool {
        last.withLock { last in
            guard now - (last[realm] ?? .min / 2) >= 600 else { return false }
            if last.count > 10_000 { last.removeAll() }
            last[realm] = now
            return true
        }
    }
}
