import Authentication
import Domain
import Storage
import Warehouse

/// Saved queries: made from a suggestion, from submitted SQL, or from a prompt matched against the suggestions; run on
/// the warehouse page by page. Queries belong to their owner; anyone else gets 404.
public struct QueryService: Sendable {
    let database: any Database
    let warehouse: any Warehouse
    let catalog: DomainCatalog
    let secrets: SecretBox
    let clock: EpochClock
    let publicURL: String

    public init(database: any Database, warehouse: any Warehouse, catalog: DomainCatalog, secrets: SecretBox, clock: EpochClock, publicURL: String) {
        self.database = database
        self.warehouse = warehouse
        self.catalog = catalog
        self.secrets = secrets
        self.clock = clock
        self.publicURL = publicURL
    }

    public func suggestions(realm: String, domain: String) async throws -> (DataDomain, [Suggestion]) {
        let domain = try await catalog.domain(realm: realm, named: domain)
        return (domain, try await catalog.suggestions(for: domain))
    }

    public func create(fromSuggestion id: String, for principal: Principal) async throws -> SavedQuery {
        guard let suggestion = try await database.read({ sql in try await SuggestionStore(sql).find(realm: principal.realm, id: id) }) else {
            throw APIError.notFound("No such suggestion: \(id)")
        }
        return try await save(sql: suggestion.query, domain: suggestion.domain, prompt: suggestion.prompt, suggestionId: suggestion.id, for: principal)
    }

    /// User SQL: refused with 422 unless it is one read-only statement; saved with `error` set when it does not run.
    public func submit(sql text: String, domain: String?, prompt: String, for principal: Principal) async throws -> SavedQuery {
        let statement: String
        do {
            statement = try ReadOnlySQL.check(text, dialect: warehouse.kind)
        } catch {
            throw ValidationError(field: "query", message: error.message)
        }
        let domainName: String
        if let domain, !domain.isEmpty {
            domainName = try await catalog.domain(realm: principal.realm, named: domain).name
        } else {
            domainName = try await catalog.inferDomain(realm: principal.realm, sql: statement)?.name ?? ""
        }
        return try await save(sql: statement, domain: domainName, prompt: prompt, suggestionId: nil, for: principal)
    }

    /// The best-matching suggestion saved as a query, or nil when no question of the domain matches the prompt.
    public func ask(_ prompt: String, domain: String, for principal: Principal) async throws -> SavedQuery? {
        let (_, suggestions) = try await suggestions(realm: principal.realm, domain: domain)
        guard let index = PromptMatcher.bestMatch(for: prompt, in: suggestions.map(\.prompt)) else { return nil }
        let suggestion = suggestions[index]
        return try await save(sql: suggestion.query, domain: suggestion.domain, prompt: suggestion.prompt, suggestionId: suggestion.id, for: principal)
    }

    public func list(for principal: Principal, limit: Int) async throws -> [SavedQuery] {
        try await database.read { sql in try await QueryStore(sql).list(realm: principal.realm, ownerId: principal.subject, limit: limit) }
    }

    public func owned(_ id: String, by principal: Principal) async throws -> SavedQuery {
        guard let query = try await database.read({ sql in try await QueryStore(sql).find(realm: principal.realm, id: id) }),
            query.ownerId == principal.subject
        else { throw APIError.notFound("No such query: \(id)") }
        return query
    }

    public func delete(_ id: String, by principal: Principal) async throws {
        let query = try await owned(id, by: principal)
        try await database.transaction { sql in try await QueryStore(sql).delete(realm: query.realm, id: query.id) }
    }

    public func rows(of query: SavedQuery, start: Int, limit: Int) async throws -> (ResultSet, [String]) {
        try await WarehouseFailure.run(field: "id", location: "path") {
            let result = try await warehouse.select(WarehouseQuery.page(of: query.query, filter: nil, order: [], start: start, limit: limit, kind: warehouse.kind))
            return (result, result.columns.isEmpty ? try await WarehouseQuery.columns(of: query.query, in: warehouse) : result.columns)
        }
    }

    public func embedToken(for query: SavedQuery) throws -> (token: String, url: String, expiresAt: Int) {
        let expiresAt = clock.now + EmbedToken.lifetime
        let token = try EmbedToken(realm: query.realm, queryId: query.id, expiresAt: expiresAt).sealed(with: secrets)
        return (token, "\(publicURL)/embed/\(query.id)?token=\(token)", expiresAt)
    }

    /// The card's portal page (the portal of the query's realm).
    public func cardURL(_ query: SavedQuery) -> String { "\(publicURL)/portal/\(query.realm)/queries/\(query.id)" }

    /// Runs the SQL once (one row) so a failure is recorded with the query, then stores it.
    private func save(sql text: String, domain: String, prompt: String, suggestionId: String?, for principal: Principal) async throws -> SavedQuery {
        var error: String?
        do {
            _ = try await warehouse.select(WarehouseQuery.page(of: text, filter: nil, order: [], start: 0, limit: 1, kind: warehouse.kind))
        } catch WarehouseError.query(let message) {
            error = message
        } catch WarehouseError.unavailable {
            throw APIError.unavailable
        }
        let query = SavedQuery(
            id: Identifiers.uuid(), realm: principal.realm, ownerId: principal.subject, suggestionId: suggestionId, domain: domain, prompt: prompt,
            query: text, error: error, createdAt: clock.now)
        try await database.transaction { sql in try await QueryStore(sql).insert(query) }
        return query
    }
}
