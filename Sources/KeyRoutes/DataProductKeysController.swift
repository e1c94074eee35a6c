import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/api/dataproduct/…/psk`: data-product keys. Minting, extending and deleting need a bearer token, like every key
/// operation; a key can never create a key.
public struct DataProductKeysController: Sendable {
    let keys: Keys
    let create: CreateDataProductKey
    let extend: ExtendDataProductKey
    let delete: DeleteDataProductKey

    public init(keys: Keys, create: CreateDataProductKey, extend: ExtendDataProductKey, delete: DeleteDataProductKey) {
        self.keys = keys
        self.create = create
        self.extend = extend
        self.delete = delete
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.post("dataproduct/:id/psk", use: createKey)
        group.get("dataproduct/psk", use: list)
        group.post("dataproduct/psk/:psk_id/extend", use: extendKey)
        group.delete("dataproduct/psk/:psk_id", use: deleteKey)
    }

    struct CreateRequest: Decodable {
        var description: String?
        var validityDays: LaxInt?

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

    @Sendable func createKey(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let (key, secret) = try await create(
            context.principal, productId: try context.parameters.require("id"), description: try DescriptionText(body.description),
            validity: try ValidityDays(body.validityDays?.value), address: context.remoteAddress)
        return JSONBody.response(
            headers: [.cacheControl: "no-store"],
            Issued(id: key.id, psk: secret, description: key.description, validUntil: Timestamp.iso(key.expiresAt ?? key.createdAt)))
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        var includeDeleted = false
        if let text = request.uri.queryParameters["include_deleted"] {
            guard let flag = FastAPIValues.boolean(text) else {
                throw ValidationError(field: "include_deleted", message: "Input should be a valid boolean", type: "bool_parsing", location: "query")
            }
            includeDeleted = flag
        }
        let listed = try await keys.ofProducts(managedBy: context.principal, includeDeleted: includeDeleted).map { key in
            Listed(
                id: key.id, viewId: key.dataProductId ?? "", description: key.description, createdAt: Timestamp.iso(key.createdAt),
                validUntil: key.expiresAt.map(Timestamp.iso), isDeleted: key.isDeleted, deletedAt: key.deletedAt.map(Timestamp.iso), hint: key.hint,
                lastUsedAt: key.lastUsedAt.map(Timestamp.iso))
        }
        return JSONBody.response(listed)
    }

    @Sendable func extendKey(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let key = try await extend(
            context.principal, keyId: try context.parameters.require("psk_id"), validity: try ValidityDays(body.validityDays?.value), address: context.remoteAddress)
        return JSONBody.response(Extended(id: key.id, description: key.description, validUntil: Timestamp.iso(key.expiresAt ?? key.updatedAt)))
    }

    @Sendable func deleteKey(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await delete(context.principal, keyId: try context.parameters.require("psk_id"), address: context.remoteAddress)
        return Response(status: .noContent)
    }
}
