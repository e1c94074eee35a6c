import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

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

    private var createDomain: CreateDomain { CreateDomain(catalog: catalog) }
    private var updateDomain: UpdateDomain { UpdateDomain(catalog: catalog) }
    private var deleteDomain: DeleteDomain { DeleteDomain(catalog: catalog) }

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
        let known = try await catalog.warehouseTables(realm: context.principal.realm)
        for domain in try await catalog.domains(realm: context.principal.realm) { listed.append(try await self.listed(domain, known: known)) }
        return JSONBody.response(listed)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let domain = try await createDomain(
            context.principal, name: try ResourceName(body.name), description: try DescriptionText(body.description), tables: try DomainTables(body.tables))
        return JSONBody.response(status: .created, try await listed(domain))
    }

    /// `PUT`: the description and the whole table list, replaced.
    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let domain = try await updateDomain(
            context.principal, name: try context.parameters.require("name"), description: try DescriptionText(body.description),
            tables: try DomainTables(body.tables))
        return JSONBody.response(try await listed(domain))
    }

    private func listed(_ domain: DataDomain, known: [WarehouseTable]? = nil) async throws -> Listed {
        Listed(name: domain.name, urn: domain.urn, description: domain.description, tables: try await catalog.tables(of: domain, known: known))
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await deleteDomain(context.principal, name: try context.parameters.require("name"))
        return Response(status: .noContent)
    }
}
