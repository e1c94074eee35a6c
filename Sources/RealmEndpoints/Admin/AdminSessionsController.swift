import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/admin/realms/{realm}/…` for sessions: a user's, a client's, how many each client has, and ending one.
struct AdminSessionsController: Sendable {
    let sessions: AdministerSessions
    let clients: Clients

    func addRoutes(to realm: RouterGroup<AdminContext>) {
        realm.get("users/:user/sessions", use: ofUser)
        realm.get("clients/:id/user-sessions", use: ofClient)
        realm.get("client-session-stats", use: stats)
        realm.delete("sessions/:session", use: end)
    }

    /// Keycloak's `UserSessionRepresentation`; `clients` maps the client's internal id to its `clientId`.
    struct SessionRepresentation: Encodable {
        let id: String
        let username: String
        let userId: String
        let ipAddress: String
        let start: Int
        let lastAccess: Int
        let rememberMe = false
        let clients: [String: String]
        let transientUser = false
    }

    struct ClientSessionStats: Encodable {
        let id: String
        let clientId: String
        /// Counts are strings in Keycloak's answer.
        let active: String
        let offline: String
    }

    @Sendable func ofUser(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let listed = try await sessions.of(context.principal, realm: realm, userId: try context.parameters.require("user"))
        return JSONBody.response(try await representations(listed, realm: realm, context))
    }

    @Sendable func ofClient(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let client = try await clients.find(context.principal, realm: realm, id: try context.parameters.require("id"))
        let listed = try await sessions.of(context.principal, realm: realm, clientId: client.clientId, window: try AdminListQuery(request).window(defaultMax: 100))
        return JSONBody.response(try await representations(listed, realm: realm, context))
    }

    @Sendable func stats(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try context.parameters.require("realm")
        let counts = try await sessions.counts(context.principal, realm: realm)
        let stats = try await clients.all(context.principal, realm: realm).compactMap { client in
            counts[client.clientId].map { ClientSessionStats(id: client.id, clientId: client.clientId, active: String($0.active), offline: String($0.offline)) }
        }
        return JSONBody.response(stats)
    }

    @Sendable func end(_ request: Request, context: AdminContext) async throws -> Response {
        try await sessions.end(context.principal, realm: try context.parameters.require("realm"), sessionId: try context.parameters.require("session"))
        return Response(status: .noContent)
    }

    private func representations(_ listed: [AdministerSessions.Listed], realm: String, _ context: AdminContext) async throws -> [SessionRepresentation] {
        guard !listed.isEmpty else { return [] }
        let internalIds = Dictionary(try await clients.all(context.principal, realm: realm).map { ($0.clientId, $0.id) }, uniquingKeysWith: { first, _ in first })
        return listed.map { entry in
            let session = entry.session
            return SessionRepresentation(
                id: session.id, username: entry.username, userId: session.userId, ipAddress: session.ipAddress ?? "",
                start: session.createdAt.keycloakMilliseconds, lastAccess: (session.lastAccess ?? session.createdAt).keycloakMilliseconds,
                clients: internalIds[session.clientId].map { [$0: session.clientId] } ?? [:])
        }
    }
}
