import Authentication
import Domain
import Hummingbird
import Warehouse

/// `/api/metastore/domains`: every caller may list the realm's domains with their tables and columns; `nx1_admin`
/// adds and removes them.
public struct MetastoreController: Sendable {
    let catalog: DomainCatalog

    public init(catalog: DomainCatalog) { self.catalog = catalog }

    public func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("metastore/domains", use: list)
        group.post("metastore/domains", use: create)
        group.put("metastore/domains/:name", use: update)
        group.delete("metastore/domains/:name", use: delete)
    }

    struct Listed: Encodable {
        let name: String
        let urn: String
        let description: String
        let tables: [WarehouseTable]
    }

    struct CreateRequest: Decodable {
        var name: String?
        var description: String?
        var tables: [String]?
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        var listed: [Listed] = []
        let known = try await catalog.warehouseTables()
        for domain in try await catalog.domains(realm: context.principal.realm) { listed.append(try await self.listed(domain, known: known)) }
        return JSONBody.response(listed)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try context.require(role: NexusOneRoles.admin)
        let body = try await JSONRequest.decode(CreateRequest.self, from: request, default: CreateRequest())
        let name = try Fields.name(body.name, field: "name")
        let domain = try await catalog.create(
            realm: context.principal.realm, name: name, description: try Fields.description(body.description), tables: try Self.tables(body))
        return JSONBody.response(status: .created, try await listed(domain))
    }

    /// `PUT`: the description and the whole table list, replaced.
    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try context.require(role: NexusOneRoles.admin)
        let body = try await JSONRequest.decode(CreateRequest.self, from: request, default: CreateRequest())
        let domain = try await catalog.update(
            realm: context.principal.realm, name: try context.parameters.require("name"), description: try Fields.description(body.description),
            tables: try Self.tables(body))
        return JSONBody.response(try await listed(domain))
    }

    private func listed(_ domain: DataDomain, known: [WarehouseTable]? = nil) async throws -> Listed {
        Listed(name: domain.name, urn: domain.urn, description: domain.description, tables: try await catalog.tables(of: domain, known: known))
    }

    static func tables(_ body: CreateRequest) throws -> [String] {
        guard let tables = body.tables, !tables.isEmpty, tables.count <= 100 else {
            throw ValidationError(field: "tables", message: "Between 1 and 100 table names")
        }
        return tables
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try context.require(role: NexusOneRoles.admin)
        try await catalog.delete(realm: context.principal.realm, name: try context.parameters.require("name"))
        return Response(status: .noContent)
    }
}
