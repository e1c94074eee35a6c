import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/api/dataproduct` (api.md "Data products"): create (with its first key), list what the caller may read, delete.
public struct DataProductController: Sendable {
    let products: DataProducts
    let create: CreateDataProduct
    let delete: DeleteDataProduct

    public init(products: DataProducts, create: CreateDataProduct, delete: DeleteDataProduct) {
        self.products = products
        self.create = create
        self.delete = delete
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.post("dataproduct", use: createProduct)
        group.get("dataproduct", use: list)
        group.delete("dataproduct/:id", use: deleteProduct)
    }

    struct CreateRequest: Decodable {
        var name: String?
        var roleName: String?
        var domainUrn: String?
        var query: String?
        var suggestionId: String?
        var queryId: String?
        /// Accepted for NexusOne clients; every product is a view here (its rows are computed when read).
        var isView: LaxBool?

        enum CodingKeys: String, CodingKey {
            case name, query
            case roleName = "role_name"
            case domainUrn = "domain_urn"
            case suggestionId = "suggestion_id"
            case queryId = "query_id"
            case isView = "is_view"
        }
    }

    struct Created: Encodable {
        let viewId: String
        let viewName: String
        let presharedKey: String
        let presharedKeyValidUntil: String

        enum CodingKeys: String, CodingKey {
            case viewId = "view_id"
            case viewName = "view_name"
            case presharedKey = "preshared_key"
            case presharedKeyValidUntil = "preshared_key_valid_until"
        }
    }

    struct Listed: Encodable {
        let id: String
        let name: String
        let roleName: String
        let domain: String
        let domainUrn: String
        let query: String
        let createdAt: String
        let createdBy: String

        enum CodingKeys: String, CodingKey {
            case id, name, domain, query
            case roleName = "role_name"
            case domainUrn = "domain_urn"
            case createdAt = "created_at"
            case createdBy = "created_by"
        }
    }

    @Sendable func createProduct(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let name = try ResourceName(body.name)
        let roleName = try Identifier(body.roleName, field: "role_name")
        let sources: [CreateDataProduct.Source] = [try body.query.map { .sql(try QueryText($0)) }, body.suggestionId.map { .suggestion($0) }, body.queryId.map { .query($0) }]
            .compactMap { $0 }
        guard sources.count == 1, let source = sources.first else { throw ProductError.oneSource }
        let (product, key, secret) = try await create(
            context.principal, .init(name: name, roleName: roleName, domainUrn: body.domainUrn, source: source), address: context.remoteAddress)
        return JSONBody.response(
            headers: [.cacheControl: "no-store"],
            Created(viewId: product.id, viewName: product.name, presharedKey: secret, presharedKeyValidUntil: Timestamp.iso(key.expiresAt ?? key.createdAt)))
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let roles = request.uri.queryParameters["roles"].map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
        let listed = try await products.readable(by: context.principal, roles: roles).map { product in
            Listed(
                id: product.id, name: product.name, roleName: product.roleName, domain: DataDomain.name(fromURN: product.domainUrn),
                domainUrn: product.domainUrn, query: product.query, createdAt: Timestamp.iso(product.createdAt), createdBy: product.createdBy)
        }
        return JSONBody.response(listed)
    }

    @Sendable func deleteProduct(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await delete(context.principal, id: try context.parameters.require("id"), address: context.remoteAddress)
        return Response(status: .noContent)
    }
}
