import Domain
import Storage

/// The tables of a domain: 1 to 100 names of warehouse tables.
public struct DomainTables: Sendable, Equatable {
    public let names: [String]

    public init(_ raw: [String]?, field: String = "tables") throws(ValueError) {
        guard let raw, !raw.isEmpty, raw.count <= 100 else { throw ValueError(field: field, message: "Between 1 and 100 table names", rule: .range) }
        names = raw
    }
}

/// A new domain over warehouse tables (`POST /api/metastore/domains`, `nexusone domain create`); the name is unique in
/// the realm (a unique index decides).
public struct CreateDomain: Sendable {
    let catalog: DomainCatalog

    public init(catalog: DomainCatalog) { self.catalog = catalog }

    public func callAsFunction(_ actor: Principal, name: ResourceName, description: DescriptionText, tables: DomainTables) async throws -> DataDomain {
        try CatalogError.authorize(actor)
        try await catalog.requireExisting(tables.names, realm: actor.realm)
        _ = try await catalog.domains(realm: actor.realm)  // the demo domains first, so a new one never collides with their seeding
        let domain = DataDomain(realm: actor.realm, name: name.value, description: description.value, tables: tables.names, createdAt: catalog.clock.now)
        do {
            try await catalog.changes.commit { sql in try await DomainStore(sql).insert(domain) }
        } catch StorageError.duplicate {
            throw CatalogError.exists(name.value)
        }
        return domain
    }
}

/// A domain's description and whole table list, replaced (its suggestions follow its new tables; tables it no longer
/// lists are unreadable from the next statement on, unless another domain of the realm lists them).
public struct UpdateDomain: Sendable {
    let catalog: DomainCatalog

    public init(catalog: DomainCatalog) { self.catalog = catalog }

    public func callAsFunction(_ actor: Principal, name: String, description: DescriptionText, tables: DomainTables) async throws -> DataDomain {
        try CatalogError.authorize(actor)
        var updated = try await catalog.domain(realm: actor.realm, named: name)
        try await catalog.requireExisting(tables.names, realm: actor.realm)
        updated.description = description.value
        updated.tables = tables.names
        try await catalog.changes.commit { [updated] sql in try await DomainStore(sql).replace(updated) }
        return updated
    }
}

/// Deletes a domain: its tables are no longer readable by the realm's queries, data products and suggestions from the
/// next statement on, on every node (the change is announced).
public struct DeleteDomain: Sendable {
    let catalog: DomainCatalog

    public init(catalog: DomainCatalog) { self.catalog = catalog }

    public func callAsFunction(_ actor: Principal, name: String) async throws {
        try CatalogError.authorize(actor)
        let domain = try await catalog.domain(realm: actor.realm, named: name)
        try await catalog.changes.commit { sql in try await DomainStore(sql).delete(realm: domain.realm, name: domain.name) }
    }
}
