import Domain
import Storage
import Warehouses

/// A data product (a named, role-guarded view over the warehouse) and its first data-product key, valid 30 days, in one
/// transaction (api.md "Data products"). Live names are unique in the realm: a unique index decides, so of simultaneous
/// creates of one name exactly one succeeds.
public struct CreateDataProduct: Sendable {
    let changes: ChangeLog
    let catalog: DomainCatalog
    let clock: EpochClock

    /// The first key's life (api.md "Data products": 30 days).
    static let firstKeyValidity = try! ValidityDays(30)

    public init(changes: ChangeLog, catalog: DomainCatalog, clock: EpochClock) {
        self.changes = changes
        self.catalog = catalog
        self.clock = clock
    }

    /// Where a product's rows come from: exactly one of these.
    public enum Source: Sendable {
        case sql(QueryText)
        case suggestion(String)
        case query(String)
    }

    public struct Input: Sendable {
        public var name: ResourceName
        /// The role a caller must hold to read the product: an identifier, and a role of the realm.
        public var roleName: Identifier
        public var domainUrn: String?
        public var source: Source

        public init(name: ResourceName, roleName: Identifier, domainUrn: String? = nil, source: Source) {
            self.name = name
            self.roleName = roleName
            self.domainUrn = domainUrn
            self.source = source
        }
    }

    public func callAsFunction(_ actor: Principal, _ input: Input, address: String) async throws -> (product: DataProduct, key: PreSharedKey, secret: String) {
        try ProductError.authorizeCreator(actor)
        let warehouse = try await catalog.scoped(realm: actor.realm)
        let (sql, sourceDomain, queryId) = try await resolve(input.source, actor: actor, dialect: warehouse.kind)
        let roleName = input.roleName.value
        guard try await changes.read({ db in try await RoleStore(db).find(realm: actor.realm, name: roleName) }) != nil else {
            throw ProductError.unknownRole(roleName)
        }
        var domain = sourceDomain
        if let urn = input.domainUrn, !urn.isEmpty { domain = try await catalog.domain(realm: actor.realm, named: urn).name }
        if domain.isEmpty { domain = try await catalog.inferDomain(realm: actor.realm, sql: sql, dialect: warehouse.kind)?.name ?? "" }
        let columns = try await warehouse.columns(of: sql)
        guard Set(columns).count == columns.count else { throw ProductError.duplicateColumns }
        let now = clock.now
        let product = DataProduct(
            id: Identifiers.uuid(), realm: actor.realm, name: input.name.value, roleName: roleName,
            domainUrn: domain.isEmpty ? "" : DataDomain.urn(domain), query: sql, queryId: queryId, createdBy: actor.subject, createdAt: now)
        do {
            let issued = try await changes.commit { db in
                try await DataProductStore(db).insert(product)
                return try await ProductKeys.issue(
                    for: product, actor: actor, description: "first key of \(product.name)", validity: Self.firstKeyValidity, address: address, now: now,
                    on: db)
            }
            return (product, issued.key, issued.secret)
        } catch StorageError.duplicate {
            throw ProductError.exists(product.name)
        }
    }

    private func resolve(_ source: Source, actor: Principal, dialect: WarehouseKind) async throws -> (sql: String, domain: String, queryId: String?) {
        switch source {
        case .sql(let text):
            do {
                return (try ReadOnlySQL.check(text.value, dialect: dialect), "", nil)
            } catch {
                throw ValueError(field: "query", message: error.message, rule: .range)
            }
        case .suggestion(let id):
            guard let suggestion = try await changes.read({ db in try await SuggestionStore(db).find(realm: actor.realm, id: id) }) else {
                throw ProductError.noSuchSuggestion
            }
            return (suggestion.query, suggestion.domain, nil)
        case .query(let id):
            guard let query = try await changes.read({ db in try await QueryStore(db).find(realm: actor.realm, id: id) }), query.ownerId == actor.subject
            else { throw ProductError.noSuchQuery }
            return (query.query, query.domain, query.id)
        }
    }
}

/// Deletes a data product: its keys stop working at once, on every node. One conditional update marks it, so of
/// simultaneous deletes exactly one succeeds (and audits).
public struct DeleteDataProduct: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    public func callAsFunction(_ actor: Principal, id: String, address: String) async throws {
        try ProductError.authorizeCreator(actor)
        let now = clock.now
        try await changes.commit { db in
            guard let product = try await DataProductStore(db).find(realm: actor.realm, id: id), actor.mayManage(product),
                try await DataProductStore(db).delete(id: product.id, at: now)
            else { throw ProductError.notFound(id) }
            try await KeyAudit.record(
                .deleteDataProduct, key: nil, realm: product.realm, actor: actor, address: address, detail: "data product \(product.name)", now: now, on: db)
        }
    }
}
