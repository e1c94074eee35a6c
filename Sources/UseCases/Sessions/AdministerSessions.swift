import Domain
import Storage

/// Sessions as a realm's administrators see and end them (Keycloak's `…/users/{id}/sessions`,
/// `…/clients/{id}/user-sessions`, `…/client-session-stats`, `DELETE …/sessions/{id}`). Ending a session ends its
/// refresh token and what introspection and userinfo say of its access tokens, on every node at once (they read the
/// session from storage).
public struct AdministerSessions: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    /// A live session with the username of its user.
    public struct Listed: Sendable, Equatable {
        public let session: LoginSession
        public let username: String
    }

    /// A user's live sessions; `User not found` when there is no such user in the realm.
    public func of(_ actor: Principal, realm: String, userId: String) async throws -> [Listed] {
        try Administration.authorize(actor, realm: realm, .viewUsers)
        let now = clock.now
        return try await changes.read { sql in
            guard let user = try await UserStore(sql).find(realm: realm, id: userId) else { throw AdministrationError.notFound(.user) }
            return try await SessionStore(sql).live(userId: userId, now: now).map { Listed(session: $0, username: user.username) }
        }
    }

    /// The live sessions of one client (`clientId`, not the internal id), within `window` (the admin REST: 100 unless asked).
    public func of(_ actor: Principal, realm: String, clientId: String, window: ListWindow) async throws -> [Listed] {
        try Administration.authorize(actor, realm: realm, .viewClients)
        let now = clock.now
        return try await changes.read { sql in
            var listed: [Listed] = []
            var usernames: [String: String] = [:]
            for session in try await SessionStore(sql).live(realm: realm, clientId: clientId, now: now, window: window) {
                if usernames[session.userId] == nil { usernames[session.userId] = try await UserStore(sql).find(realm: realm, id: session.userId)?.username }
                listed.append(Listed(session: session, username: usernames[session.userId] ?? ""))
            }
            return listed
        }
    }

    /// How many live sessions and offline sessions each client (by `clientId`) has; clients with neither are left out.
    public func counts(_ actor: Principal, realm: String) async throws -> [String: (active: Int, offline: Int)] {
        try Administration.authorize(actor, realm: realm, .viewRealm)
        let now = clock.now
        let (active, offline) = try await changes.read { sql in
            (try await SessionStore(sql).liveCounts(realm: realm, now: now), try await SessionStore(sql).liveCounts(realm: realm, now: now, offline: true))
        }
        return Dictionary(uniqueKeysWithValues: Set(active.keys).union(offline.keys).map { ($0, (active[$0] ?? 0, offline[$0] ?? 0)) })
    }

    /// Ends one session of the realm; `Session not found` when there is no live one with that id.
    public func end(_ actor: Principal, realm: String, sessionId: String) async throws {
        try Administration.authorize(actor, realm: realm, .manageUsers)
        let now = clock.now
        try await changes.commit { sql in
            guard let session = try await SessionStore(sql).live(id: sessionId, now: now), session.realm == realm else {
                throw AdministrationError.notFound(.session)
            }
            try await SessionStore(sql).end(id: session.id)
        }
    }
}
