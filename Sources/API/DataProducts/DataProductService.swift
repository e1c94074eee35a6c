import Authentication
import Domain
import HTTPTypes
import Storage
import Warehouse

/// Creating and deleting data products (api.md "Data products"). A product and its first data-product key (30 days)
/// are made in one transaction; deleting a product ends its keys on every node at once.
public struct DataProductService: Sendable {
    let database: any Database
    let warehouse: any Warehouse
    let catalog: DomainCatalog
    let clock: EpochClock
    let changes: ChangeNotifier

    public static let firstKeyValidityDays = 30

    public init(database: any Database, warehouse: any Warehouse, catalog: DomainCatalog, clock: EpochClock, changes: ChangeNotifier) {
        self.database = database
        self.warehouse = warehouse
        self.catalog = catalog
        self.clock = clock
        self.changes = changes
    }

    /// Where a product's rows come from: exactly one of these.
    public enum Source: Sendable {
        case sql(String)
        case suggestion(String)
        case query(String)
    }

    public func create(name: String, roleName: String, domainUrn: String?, source: Source, for principal: Principal, address: String) async throws
        -> (DataProduct, PreSharedKey, String)
    {
        let (sql, sourceDomain, queryId) = try await resolve(source, principal: principal)
        let roleExists = try await database.read { db in try await RoleStore(db).find(realm: principal.realm, name: roleName) != nil }
        guard roleExists else { throw ValidationError(field: "role_name", message: "The realm has no role named '\(roleName)'") }
        var domain = sourceDomain
        if let domainUrn, !domainUrn.isEmpty { domain = try await catalog.domain(realm: principal.realm, named: domainUrn).name }
        if domain.isEmpty { domain = try await catalog.inferDomain(realm: principal.realm, sql: sql)?.name ?? "" }
        let columns = try await WarehouseFailure.run(field: "query", location: "body") { try await WarehouseQuery.columns(of: sql, in: warehouse) }
        guard Set(columns).count == columns.count else {
            throw ValidationError(field: "query", message: "The query's column names must be unique; name them with AS")
        }
        let now = clock.now
        let product = DataProduct(
            id: Identifiers.uuid(), realm: principal.realm, name: name, roleName: roleName, domainUrn: domain.isEmpty ? "" : DataDomain.urn(domain),
            query: sql, queryId: queryId, createdBy: principal.subject, createdAt: now)
        let (key, secret): (PreSharedKey, String)
        do {
            (key, secret) = try await database.transaction { db in
                try await DataProductStore(db).insert(product)
                let issued = try await PSKIssuer.issue(
                    kind: .dataProduct, realm: product.realm, userId: principal.subject, dataProductId: product.id, description: "first key of \(name)",
                    expiresAt: now + Self.firstKeyValidityDays * 86_400, now: now, on: db)
                try await AuditStore(db).record(
                    AuditEvent(
                        id: Identifiers.uuid(), realm: product.realm, at: now, actorId: principal.subject, action: "create", keyId: issued.0.id,
                        hint: issued.0.hint, address: address, detail: "data product \(name)"))
                try await database.announceChange(on: db)
                return issued
            }
        } catch StorageError.duplicate {
            throw APIError(status: .conflict, detail: "A data product named \(name) exists already")
        }
        changes.notify()
        return (product, key, secret)
    }

    /// Products whose rows the caller may read, optionally only those guarded by one of `roles`.
    public func readable(by principal: Principal, roles: Set<String>?) async throws -> [DataProduct] {
        try await database.read { db in try await DataProductStore(db).all(realm: principal.realm) }
            .filter { principal.mayRead($0) && (roles?.contains($0.roleName) ?? true) }
    }

    /// A live product the caller may read or manage; 404 otherwise.
    public func product(id: String, for principal: Principal) async throws -> DataProduct {
        guard let product = try await database.read({ db in try await DataProductStore(db).find(realm: principal.realm, id: id) }),
            principal.mayRead(product) || principal.mayManage(product)
        else { throw APIError.notFound("No such data product: \(id)") }
        return product
    }

    /// The product's first rows (its page 0), for a preview.
    public func sample(_ product: DataProduct, limit: Int) async throws -> ResultSet {
        let statement = WarehouseQuery.page(of: product.query, filter: nil, order: [], start: 0, limit: limit, kind: warehouse.kind)
        return try await WarehouseFailure.run(field: "query", location: "body") { try await warehouse.select(statement) }
    }

    public func delete(id: String, by principal: Principal, address: String) async throws {
        let now = clock.now
        try await database.transaction { db in
            guard let product = try await DataProductStore(db).find(realm: principal.realm, id: id), principal.mayManage(product) else {
                throw APIError.notFound("No such data product: \(id)")
            }
            try await DataProductStore(db).delete(id: product.id, at: now)
            try await AuditStore(db).record(
                AuditEvent(
                    id: Identifiers.uuid(), realm: product.realm, at: now, actorId: principal.subject, action: "delete_data_product", keyId: nil,
                    hint: nil, address: address, detail: "data product \(product.name)"))
            try await database.announceChange(on: db)
        }
        changes.notify()
    }

    private func resolve(_ source: Source, principal: Principal) async throws -> (sql: String, domain: String, queryId: String?) {
        switch source {
        case .sql(let text):
            do {
                return (try ReadOnlySQL.check(text, dialect: warehouse.kind), "", nil)
            } catch {
                throw ValidationError(field: "query", message: error.message)
            }
        case .suggestion(let id):
            guard let suggestion = try await database.read({ db in try await SuggestionStore(db).find(realm: principal.realm, id: id) }) else {
                throw ValidationError(field: "suggestion_id", message: "No such suggestion")
            }
            return (suggestion.query, suggestion.domain, nil)
        case .query(let id):
            guard let query = try await database.read({ db in try await QueryStore(db).find(realm: principal.realm, id: id) }),
                query.ownerId == principal.subject
            else { throw ValidationError(field: "query_id", message: "No such query of yours") }
            return (query.query, query.domain, query.id)
        }
    }
}
