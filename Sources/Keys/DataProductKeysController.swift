import Authentication
import Domain
import Foundation
import Hummingbird

/// `/api/dataproduct/…/psk`: data-product keys. Minting, extending and deleting need a bearer token, like every key
/// operation; a key can never create a key.
public struct DataProductKeysController: Sendable {
    let keys: KeyService

    public init(keys: KeyService) { self.keys = keys }

    public func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.post("dataproduct/:id/psk", use: create)
        group.get("dataproduct/psk", use: list)
        group.post("dataproduct/psk/:psk_id/extend", use: extend)
        group.delete("dataproduct/psk/:psk_id", use: delete)
    }

    struct CreateRequest: Decodable {
        var description: String?
        var validityDays: Int?

        enum CodingKeys: String, CodingKey {
            case description
            case validityDays = "validity_days"
        }
    }

    struct Issued: Encodable {
        let id: String
        let psk: String
        let description: String
        let validUntil: String

        enum CodingKeys: String, CodingKey {
            case id, psk, description
            case validUntil = "valid_until"
        }
    }

    struct Extended: Encodable {
        let id: String
        let description: String
        let validUntil: String

        enum CodingKeys: String, CodingKey {
            case id, description
            case validUntil = "valid_until"
        }
    }

    struct Listed: Encodable {
        let id: String
        let viewId: String
        let description: String
        let createdAt: String
        let validUntil: String?
        let isDeleted: Bool
        let deletedAt: String?
        let hint: String
        let lastUsedAt: String?

        enum CodingKeys: String, CodingKey {
            case id, description, hint
            case viewId = "view_id"
            case createdAt = "created_at"
            case validUntil = "valid_until"
            case isDeleted = "is_deleted"
            case deletedAt = "deleted_at"
            case lastUsedAt = "last_used_at"
        }
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try PersonalPSKController.requireBearer(context)
        let body = try await JSONRequest.decode(CreateRequest.self, from: request, default: CreateRequest())
        let description = body.description ?? ""
        guard description.count <= 256 else { throw ValidationError(field: "description", message: "At most 256 characters") }
        let days = try Self.validityDays(body.validityDays)
        let (key, secret) = try await keys.createDataProductKey(
            productId: try context.parameters.require("id"), for: context.principal, description: description, validityDays: days,
            address: context.remoteAddress)
        return JSONBody.response(
            headers: [.cacheControl: "no-store"],
            Issued(id: key.id, psk: secret, description: key.description, validUntil: Timestamp.iso(key.expiresAt ?? key.createdAt)))
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let includeDeleted: Bool
        switch request.uri.queryParameters["include_deleted"] {
        case nil, "false": includeDeleted = false
        case "true": includeDeleted = true
        default: throw ValidationError(field: "include_deleted", message: "Must be true or false", type: "bool_parsing", location: "query")
        }
        let listed = try await keys.dataProductKeys(for: context.principal, includeDeleted: includeDeleted).map { key in
            Listed(
                id: key.id, viewId: key.dataProductId ?? "", description: key.description, createdAt: Timestamp.iso(key.createdAt),
                validUntil: key.expiresAt.map(Timestamp.iso), isDeleted: key.isDeleted, deletedAt: key.deletedAt.map(Timestamp.iso), hint: key.hint,
                lastUsedAt: key.lastUsedAt.map(Timestamp.iso))
        }
        return JSONBody.response(listed)
    }

    @Sendable func extend(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try PersonalPSKController.requireBearer(context)
        let body = try await JSONRequest.decode(CreateRequest.self, from: request, default: CreateRequest())
        let key = try await keys.extendDataProductKey(
            keyId: try context.parameters.require("psk_id"), for: context.principal, validityDays: try Self.validityDays(body.validityDays),
            address: context.remoteAddress)
        return JSONBody.response(Extended(id: key.id, description: key.description, validUntil: Timestamp.iso(key.expiresAt ?? key.updatedAt)))
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try PersonalPSKController.requireBearer(context)
        try await keys.deleteDataProductKey(keyId: try context.parameters.require("psk_id"), for: context.principal, address: context.remoteAddress)
        return Response(status: .noContent)
    }

    static func validityDays(_ days: Int?) throws -> Int {
        guard let days else { throw ValidationError(field: "validity_days", message: "Field required", type: "missing") }
        guard (1...KeyService.maximumValidityDays).contains(days) else {
            throw ValidationError(field: "validity_days", message: "Between 1 and \(KeyService.maximumValidityDays) days")
        }
        return days
    }
}
