import Authentication
import Domain
import Foundation
import Hummingbird

/// `/api/user/psk`: the caller's Personal PSK (psk.md "Lifecycle"). Creating, regenerating and deleting need a bearer
/// token: a PSK can never mint or replace a PSK.
public struct PersonalPSKController: Sendable {
    let keys: KeyService

    public init(keys: KeyService) { self.keys = keys }

    public func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("user/psk", use: show)
        group.post("user/psk", use: create)
        group.post("user/psk/regenerate", use: regenerate)
        group.delete("user/psk", use: delete)
    }

    struct CreateRequest: Decodable {
        var description: String?
        var expiresInDays: Int?

        enum CodingKeys: String, CodingKey {
            case description
            case expiresInDays = "expires_in_days"
        }
    }

    struct RegenerateRequest: Decodable {
        var graceSeconds: Int?

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
        guard let key = try await keys.personal(of: context.principal) else { throw APIError.notFound("No PSK") }
        return JSONBody.response(
            Shown(
                id: key.id, userId: key.userId, createdAt: Timestamp.iso(key.createdAt), updatedAt: Timestamp.iso(key.updatedAt),
                isActive: key.isActive, description: key.description, lastUsedAt: key.lastUsedAt.map(Timestamp.iso),
                expiresAt: key.expiresAt.map(Timestamp.iso), hint: key.hint))
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.requireBearer(context)
        let body = try await JSONRequest.decode(CreateRequest.self, from: request, default: CreateRequest())
        let description = body.description ?? ""
        guard description.count <= 256 else { throw ValidationError(field: "description", message: "At most 256 characters") }
        if let days = body.expiresInDays, !(1...3650).contains(days) {
            throw ValidationError(field: "expires_in_days", message: "Between 1 and 3650 days")
        }
        let (key, secret) = try await keys.createPersonal(
            for: context.principal, description: description, expiresInDays: body.expiresInDays, address: context.remoteAddress)
        return Self.issued(key, secret, message: "Personal PSK created. Copy it now: it is shown only once.")
    }

    @Sendable func regenerate(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.requireBearer(context)
        let body = try await JSONRequest.decode(RegenerateRequest.self, from: request, default: RegenerateRequest())
        let grace = body.graceSeconds ?? 0
        guard (0...KeyService.maximumGraceSeconds).contains(grace) else {
            throw ValidationError(field: "grace_seconds", message: "Between 0 and \(KeyService.maximumGraceSeconds) seconds (7 days)")
        }
        let (key, secret) = try await keys.regeneratePersonal(for: context.principal, graceSeconds: grace, address: context.remoteAddress)
        let message =
            grace > 0
            ? "Personal PSK regenerated. The previous key keeps working for \(grace) seconds. Copy the new one now: it is shown only once."
            : "Personal PSK regenerated. The previous key no longer works. Copy the new one now: it is shown only once."
        return Self.issued(key, secret, message: message)
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.requireBearer(context)
        try await keys.deletePersonal(for: context.principal, address: context.remoteAddress)
        return Response(status: .noContent)
    }

    static func requireBearer(_ context: AuthenticatedContext) throws {
        guard context.principal.credential == .bearer else {
            throw APIError.forbidden("A PSK cannot create, regenerate or delete a PSK; use a bearer token.")
        }
    }

    static func issued(_ key: PreSharedKey, _ secret: String, message: String) -> Response {
        JSONBody.response(
            headers: [.cacheControl: "no-store"],
            Issued(id: key.id, psk: secret, createdAt: Timestamp.iso(key.createdAt), message: message, description: key.description))
    }
}
