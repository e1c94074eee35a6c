import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/api/admin/psk` and `/api/admin/audit` (ours), for a realm's `nx1_admin`: every key of the realm (never a
/// secret), revocation, and the audit trail.
public struct AdminKeysController: Sendable {
    let keys: Keys
    let revokeKey: RevokeKey

    public init(keys: Keys, revokeKey: RevokeKey) {
        self.keys = keys
        self.revokeKey = revokeKey
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("admin/psk", use: list)
        group.delete("admin/psk/:id", use: revoke)
        group.get("admin/audit", use: audit)
    }

    struct Listed: Encodable {
        let id: String
        let kind: String
        let userId: String
        let username: String
        let description: String
        let hint: String
        let createdAt: String
        let expiresAt: String?
        let isActive: Bool
        let lastUsedAt: String?
        let lastUsedIp: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, username, description, hint
            case userId = "user_id"
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case isActive = "is_active"
            case lastUsedAt = "last_used_at"
            case lastUsedIp = "last_used_ip"
        }
    }

    struct Event: Encodable {
        let id: String
        let at: String
        let actorId: String?
        let action: String
        let keyId: String?
        let hint: String?
        let address: String?
        let detail: String

        enum CodingKeys: String, CodingKey {
            case id, at, action, hint, address, detail
            case actorId = "actor_id"
            case keyId = "key_id"
        }
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let listed = try await keys.all(context.principal, realm: context.principal.realm).map { entry in
            let key = entry.key
            return Listed(
                id: key.id, kind: key.kind.rawValue, userId: key.userId, username: entry.username, description: key.description, hint: key.hint,
                createdAt: Timestamp.iso(key.createdAt), expiresAt: key.expiresAt.map(Timestamp.iso), isActive: key.isActive,
                lastUsedAt: key.lastUsedAt.map(Timestamp.iso), lastUsedIp: key.lastUsedIp)
        }
        return JSONBody.response(listed)
    }

    @Sendable func revoke(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await revokeKey(context.principal, realm: context.principal.realm, keyId: try context.parameters.require("id"), address: context.remoteAddress)
        return Response(status: .noContent)
    }

    @Sendable func audit(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = query["limit"].flatMap { Int($0) } ?? 100
        guard (1...1000).contains(limit) else { throw ValidationError(field: "limit", message: "Between 1 and 1000", location: "query") }
        let action = try query["action"].map { text in
            guard let action = AuditAction(rawValue: String(text)) else {
                throw ValidationError(field: "action", message: "One of \(AuditAction.allCases.map(\.rawValue).joined(separator: ", "))", location: "query")
            }
            return action
        }
        let events = try await keys.audit(context.principal, realm: context.principal.realm, action: action, limit: limit)
        return JSONBody.response(
            events.map {
                Event(
                    id: $0.id, at: Timestamp.iso($0.at), actorId: $0.actorId, action: $0.action.rawValue, keyId: $0.keyId, hint: $0.hint, address: $0.address,
                    detail: $0.detail)
            })
    }
}
