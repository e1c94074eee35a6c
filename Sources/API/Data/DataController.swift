import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `GET /api/data/{view_name}` ("Retrieves data from view"): a page of a data product's rows for holders of its role,
/// or for one of its own data-product keys (header or `?psk=`).
public struct DataController: Sendable {
    let products: ProductDirectory
    let catalog: DomainCatalog
    let pages: PageBudget

    public init(products: ProductDirectory, catalog: DomainCatalog, pages: PageBudget) {
        self.products = products
        self.catalog = catalog
        self.pages = pages
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("data/:view_name", use: show)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let principal = context.principal
        let name = try context.parameters.require("view_name")
        // A key of another product, like a name that does not exist, learns nothing: 404 either way.
        guard let view = try await products.view(realm: principal.realm, name: name),
            principal.dataProductId == nil || principal.dataProductId == view.product.id
        else { throw APIError.notFound("No such data product: \(name)") }
        guard principal.mayRead(view.product) else {
            throw APIError.forbidden("Reading \(name) needs the role \(view.product.roleName).")
        }
        let window = try DataPage.Window(request)
        let filter = try FormQuery.value("filter", in: request).map { text in
            try Self.parsed(field: "filter") { () throws(FilterSyntaxError) in try FilterParser.parse(text, columns: view.columns) }
        }
        let order = try FormQuery.value("order", in: request).map { text in
            try Self.parsed(field: "order") { () throws(FilterSyntaxError) in try OrderParser.parse(text, columns: view.columns) }
        }
        // The realm's domains as they are now, not as they were when the product was made (docs/security.md).
        // With a filter, a refusal is most likely the filter's (a type mismatch); without one it is the view's SQL.
        let (field, location) = filter == nil ? ("view_name", "path") : ("filter", "query")
        let result = try await WarehouseFailure.run(field: field, location: location) {
            try await catalog.page(
                realm: principal.realm, of: view.product.query, filter: filter, order: order ?? [], start: window.start, limit: window.limit)
        }
        return try await DataPage(result, window: window, columns: view.columns).response(for: request, budget: pages)
    }

    private static func parsed<T>(field: String, _ parse: () throws(FilterSyntaxError) -> T) throws -> T {
        do {
            return try parse()
        } catch {
            throw ValidationError(field: field, message: error.description, type: "value_error", location: "query")
        }
    }
}
