import Domain
import HTTPKit
import Identity
import UseCases

/// Data products by realm and name, with their column lists, cached for the data route's hot path. Any change on any
/// node (product deleted, key revoked) empties the cache through the change notifier.
public final class ProductDirectory: Sendable {
    public struct View: Sendable {
        let product: DataProduct
        let columns: [String]
    }

    private let products: DataProducts
    private let catalog: DomainCatalog
    private let cache: ExpiringCache<View>

    public init(products: DataProducts, catalog: DomainCatalog, clock: EpochClock) {
        self.products = products
        self.catalog = catalog
        cache = ExpiringCache(clock: clock, maxAge: 30)
    }

    public func invalidate() { cache.removeAll() }

    func view(realm: String, name: String) async throws -> View? {
        try await cache.value("\(realm)\n\(name)") {
            guard let product = try await products.named(name, realm: realm) else { return nil }
            let columns = try await WarehouseFailure.run(field: "view_name", location: "path") {
                try await catalog.columns(realm: realm, of: product.query)
            }
            return View(product: product, columns: columns)
        }
    }
}
