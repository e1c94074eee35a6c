import Domain
import Secrets
import Storage
import Warehouses

/// Domains over the warehouse's tables, per realm, the suggestions derived from them, and what they bound: a realm's
/// user SQL reads only the tables of its domains, in the warehouse that realm reads (`scoped(realm:)`, docs/security.md
/// "Tenant isolation"). A realm gets the demo data set's domains the first time it looks, when the warehouse is the
/// demo one.
public struct DomainCatalog: Sendable {
    let changes: ChangeLog
    let warehouses: RealmWarehouses
    let clock: EpochClock
    let offersDemoDomains: Bool
    private let scopes = RealmScopes()

    public init(changes: ChangeLog, warehouses: RealmWarehouses, clock: EpochClock, offersDemoDomains: Bool) {
        self.changes = changes
        self.warehouses = warehouses
        self.clock = clock
        self.offersDemoDomains = offersDemoDomains
    }

    var database: any Database { changes.database }

    public func domains(realm: String) async throws -> [DataDomain] {
        if offersDemoDomains { try await seedDemoDomains(realm: realm) }
        return try await database.read { sql in try await DomainStore(sql).all(realm: realm) }
    }

    /// The domain named by `name` or `urn:li:domain:<name>`; `CatalogError.notFound` when the realm has none.
    public func domain(realm: String, named text: String) async throws -> DataDomain {
        let name = DataDomain.name(fromURN: text)
        guard let domain = try await domains(realm: realm).first(where: { $0.name == name }) else {
            throw CatalogError.notFound(name)
        }
        return domain
    }

    /// The warehouse the realm reads, bounded to the tables of its domains as they are now: every statement of the
    /// realm's user SQL runs through this, so deleting a domain ends reads of its tables with the next statement.
    public func scoped(realm: String) async throws -> ScopedWarehouse {
        let warehouse = try await warehouses.warehouse(for: realm)
        if let scope = scopes.scope(of: realm) { return ScopedWarehouse(warehouse, scope: scope) }
        let generation = scopes.generation
        let scope = TableScope(tables: try await domains(realm: realm).flatMap(\.tables))
        scopes.remember(scope, of: realm, loadedIn: generation)
        return ScopedWarehouse(warehouse, scope: scope)
    }

    /// One page of a view's rows as the realm may read them (the data route): the warehouse's refusals are
    /// `WarehouseError`.
    public func page(
        realm: String, of view: String, filter: FilterExpression?, order: [OrderTerm], start: Int, limit: Int
    ) async throws -> ResultSet {
        try await scoped(realm: realm).page(of: view, filter: filter, order: order, start: start, limit: limit)
    }

    /// The columns a view's statement yields, read within the realm's scope.
    public func columns(realm: String, of view: String) async throws -> [String] {
        try await scoped(realm: realm).columns(of: view)
    }

    /// Forgets the realms' scopes and warehouses: a domain or a realm's warehouse changed here or on another node.
    public func invalidate() {
        scopes.removeAll()
        warehouses.invalidate()
    }

    /// The domain's tables as the realm's warehouse describes them (tables that no longer exist are left out); pass
    /// `known` when describing several domains, so the warehouse is asked once.
    public func tables(of domain: DataDomain, known: [WarehouseTable]? = nil) async throws -> [WarehouseTable] {
        let all: [WarehouseTable]
        if let known { all = known } else { all = try await warehouseTables(realm: domain.realm) }
        return domain.tables.compactMap { name in all.first { $0.name == name } }
    }

    /// Every table of the warehouse the realm reads: what its administrators may group into domains.
    public func warehouseTables(realm: String) async throws -> [WarehouseTable] { try await warehouses.warehouse(for: realm).tables() }

    /// `CatalogError.unknownTable` unless the realm's warehouse has every one of `tables`.
    func requireExisting(_ tables: [String], realm: String) async throws {
        let known = Set(try await warehouseTables(realm: realm).map(\.name))
        if let unknown = tables.first(where: { !known.contains($0) }) { throw CatalogError.unknownTable(unknown) }
    }

    /// The domain's questions, stored so their ids can be used later; the same schema always yields the same ids.
    public func suggestions(for domain: DataDomain) async throws -> [Suggestion] {
        let questions = SuggestionGenerator.questions(for: try await tables(of: domain))
        let suggestions = questions.enumerated().map { position, question in
            Suggestion(
                id: Self.suggestionId(realm: domain.realm, domain: domain.name, query: question.query), realm: domain.realm, domain: domain.name,
                prompt: question.prompt, query: question.query, position: position)
        }
        try await database.transaction { sql in try await SuggestionStore(sql).insertMissing(suggestions) }
        return suggestions
    }

    /// The one domain whose tables `sql` reads, if exactly one does.
    public func inferDomain(realm: String, sql text: String, dialect: WarehouseKind) async throws -> DataDomain? {
        let names = ReadOnlySQL.identifiers(in: text, dialect: dialect)
        let matching = try await domains(realm: realm).filter { domain in domain.tables.contains { names.contains($0.lowercased()) } }
        return matching.count == 1 ? matching[0] : nil
    }

    static func suggestionId(realm: String, domain: String, query: String) -> String {
        let hex = Array(TokenDigest.sha256Hex("\(realm)\n\(domain)\n\(query)").prefix(32))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }.joined(separator: "-")
    }

    /// Once per realm (remembered in settings, so a domain an administrator deletes stays deleted), for the demo
    /// domains whose tables the realm's warehouse has. Two first looks at once seed once: the marker and the domains
    /// are inserted only where missing.
    private func seedDemoDomains(realm: String) async throws {
        let marker = "demo_domains:\(realm)"
        guard try await database.read({ sql in try await SettingsStore(sql).get(marker) }) == nil else { return }
        let now = clock.now
        let existing = Set(try await warehouseTables(realm: realm).map(\.name))
        do {
            try await changes.commit { sql in
                guard try await SettingsStore(sql).get(marker) == nil else { return }
                for demo in DemoDataSet.domains where demo.tables.allSatisfy(existing.contains) {
                    guard try await DomainStore(sql).find(realm: realm, name: demo.name) == nil else { continue }
                    try await DomainStore(sql).insert(
                        DataDomain(realm: realm, name: demo.name, description: demo.description, tables: demo.tables, createdAt: now))
                }
                try await SettingsStore(sql).set(marker, "seeded")
            }
        } catch StorageError.duplicate {
            // A simultaneous first look seeded them.
        }
    }
}
