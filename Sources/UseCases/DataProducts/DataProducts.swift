import Domain
import Storage
import Warehouses

/// Reading data products: those the actor may read, one product, a preview of its rows.
public struct DataProducts: Sendable {
    let database: any Database
    let catalog: DomainCatalog

    public init(database: any Database, catalog: DomainCatalog) {
        self.database = database
        self.catalog = catalog
    }

    /// Products whose rows the actor may read, optionally only those guarded by one of `roles`.
    public func readable(by actor: Principal, roles: Set<String>?) async throws -> [DataProduct] {
        try await database.read { db in try await DataProductStore(db).all(realm: actor.realm) }
            .filter { actor.mayRead($0) && (roles?.contains($0.roleName) ?? true) }
    }

    /// A live product the actor may read or manage; `ProductError.notFound` otherwise, so its existence is not revealed.
    public func product(id: String, for actor: Principal) async throws -> DataProduct {
        guard let product = try await database.read({ db in try await DataProductStore(db).find(realm: actor.realm, id: id) }),
            actor.mayRead(product) || actor.mayManage(product)
        else { throw ProductError.notFound(id) }
        return product
    }

    /// A product by its name, for the data route's directory, which caches it and authorizes each caller itself
    /// (`Principal.mayRead`) on every request.
    public func named(_ name: String, realm: String) async throws -> DataProduct? {
        try await database.read { db in try await DataProductStore(db).find(realm: realm, name: name) }
    }

    /// The product's first rows (its page 0), for a preview, within the realm's domains; the warehouse's refusals are
    /// `WarehouseError`.
    public func sample(_ product: DataProduct, limit: Int) async throws -> ResultSet {
        try await catalog.scoped(realm: product.realm).page(of: product.query, start: 0, limit: limit)
    }
}
