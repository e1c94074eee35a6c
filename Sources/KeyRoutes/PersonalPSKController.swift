import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/api/user/psk`: the caller's Personal PSK (psk.md "Lifecycle"). Creating, regenerating and deleting need a bearer
/// token: a PSK can never mint or replace a PSK (the use cases decide from the credential).
public struct PersonalPSKController: Sendable {
    let keys: Keys
    let create: CreatePersonalKey
    let regenerate: RegeneratePersonalKey
    let delete: DeletePersonalKey

    public init(keys: Keys, create: CreatePersonalKey, regenerate: RegeneratePersonalKey, delete: DeletePersonalKey) {
        self.keys = keys
        self.create = create
        self.regenerate = regenerate
        self.delete = delete
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("user/psk", use: show)
        group.post("user/psk", use: createKey)
        group.post("user/psk/regenerate", use: regenerateKey)
        group.delete("user/psk", use: deleteKey)
    }

    struct CreateRequest: Decodable {
        var description: String?
        var expiresInDays: LaxInt?

        enum CodingKeys: String, CodingKey {
            case description
            case expiresInDays = "expires_in_days"
        }
    }

    struct RegenerateRequest: Decodable {
        var graceSeconds: LaxInt?

        enum CodingKeys: String, CodingKey {
            case graceSeconds = "grace_seconds"
        }
    }

    /// The one response that ever contains the key.
    struct Issued: Encodable {
        let id: String
        let psk: String
        let createdAt: String
        let message: String
        let description: String

        enum CodingKeys: String, CodingKey {
            case id, psk, message, description
            case createdAt = "created_at"
        }
    }

    struct Shown: Encodable {
        let id: String
        let userId: String
        let createdAt: String
        let updatedAt: String
        let isActive: Bool
        let description: String
        let lastUsedAt: String?
        let expiresAt: String?
        let hint: String

        enum CodingKeys: String, CodingKey {
            case id, description, hint
            case userId = "user_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case isActive = "is_active"
            case lastUsedAt = "last_used_at"
            case expiresAt = "expires_at"
        }
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        guard let key = try await keys.personal(of: context.principal) else { throw KeyError.noPersonalKey }
        return JSONBody.response(
            Shown(
                id: key.id, userId: key.userId, createdAt: Timestamp.iso(key.createdAt), updatedAt: Timestamp.iso(key.updatedAt),
                isActive: key.isActive, description: key.description, lastUsedAt: key.lastUsedAt.map(Timestamp.iso),
                expiresAt: key.expiresAt.map(Timestamp.iso), hint: key.hint))
    }

    @Sendable func createKey(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let (key, secret) = try await create(
            context.principal, description: try DescriptionText(body.description),
            expiresIn: try body.expiresInDays.map { days in try ValidityDays(days.value, field: "expires_in_days") }, address: context.remoteAddress)
        return Self.issued(key, secret, message: "Personal PSK created. Copy it now: it is shown only once.")
    }

    @Sendable func regenerateKey(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: RegenerateRequest.self, context: context)
        let grace = try GraceSeconds(body.graceSeconds?.value)
        let (key, secret) = try await regenerate(context.principal, grace: grace, address: context.remoteAddress)
        let message =
            grace.seconds > 0
            ? "Personal PSK regenerated. The previous key keeps working for \(grace.seconds) seconds. Copy the new one now: it is shown only once."
            : "Personal PSK regenerated. The previous key no longer works. Copy the new one now: it is shown only once."
        return Self.issued(key, secret, message: message)
    }

    @Sendable func deleteKey(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await delete(context.principal, address: context.remoteAddress)
        return Response(status: .noContent)
    }

    static func issued(_ key: PreSharedKey, _ secret: String, message: String) -> Response {
        JSONBody.response(
            headers: [.cacheControl: "no-store"],
            Issued(id: key.id, psk: secret, createdAt: Timestamp.iso(key.createdAt), message: message, description: key.description))
    }
}
