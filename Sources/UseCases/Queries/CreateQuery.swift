import Domain
import Storage
import Warehouses

/// Saves a query (a card) made from a suggestion, from the user's own SQL, or from a prompt matched against the
/// domain's suggestions. The SQL runs once (one row) so a failure is recorded with the query in `error`.
public struct CreateQuery: Sendable {
    let database: any Database
    let catalog: DomainCatalog
    let clock: EpochClock

    public init(database: any Database, catalog: DomainCatalog, clock: EpochClock) {
        self.database = database
        self.catalog = catalog
        self.clock = clock
    }

    public func fromSuggestion(_ actor: Principal, id: String) async throws -> SavedQuery {
        try QueryError.authorize(actor)
        guard let suggestion = try await database.read({ sql in try await SuggestionStore(sql).find(realm: actor.realm, id: id) }) else {
            throw QueryError.noSuchSuggestion(id)
        }
        return try await save(sql: suggestion.query, domain: suggestion.domain, prompt: suggestion.prompt, suggestionId: suggestion.id, for: actor)
    }

    /// The user's SQL: refused (`ValueError` on `query`) unless it is one read-only statement. Without a domain, the
    /// domain is the one whose tables the SQL reads, if exactly one does.
    public func fromSQL(_ actor: Principal, sql text: QueryText, domain: String?, prompt: PromptText) async throws -> SavedQuery {
        try QueryError.authorize(actor)
        let dialect = try await catalog.scoped(realm: actor.realm).kind
        let statement: String
        do {
            statement = try ReadOnlySQL.check(text.value, dialect: dialect)
        } catch {
            throw ValueError(field: "query", message: error.message, rule: .range)
        }
        let domainName: String
        if let domain, !domain.isEmpty {
            domainName = try await catalog.domain(realm: actor.realm, named: domain).name
        } else {
            domainName = try await catalog.inferDomain(realm: actor.realm, sql: statement, dialect: dialect)?.name ?? ""
        }
        return try await save(sql: statement, domain: domainName, prompt: prompt.value, suggestionId: nil, for: actor)
    }

    /// The best-matching suggestion saved as a query, or nil when no question of the domain matches the prompt.
    public func fromPrompt(_ actor: Principal, prompt: PromptText, domain: String) async throws -> SavedQuery? {
        try QueryError.authorize(actor)
        let suggestions = try await catalog.suggestions(for: try await catalog.domain(realm: actor.realm, named: domain))
        guard let index = PromptMatcher.bestMatch(for: prompt.value, in: suggestions.map(\.prompt)) else { return nil }
        let suggestion = suggestions[index]
        return try await save(sql: suggestion.query, domain: suggestion.domain, prompt: suggestion.prompt, suggestionId: suggestion.id, for: actor)
    }

    private func save(sql text: String, domain: String, prompt: String, suggestionId: String?, for actor: Principal) async throws -> SavedQuery {
        var error: String?
        do {
            _ = try await catalog.scoped(realm: actor.realm).page(of: text, start: 0, limit: 1)
        } catch WarehouseError.query(let message) {
            error = message
        } catch WarehouseError.tooLarge(let limit) {
            error = WarehouseError.tooLarge(limit: limit).description
        }
        let query = SavedQuery(
            id: Identifiers.uuid(), realm: actor.realm, ownerId: actor.subject, suggestionId: suggestionId, domain: domain, prompt: prompt,
            query: text, error: error, createdAt: clock.now)
        try await database.transaction { sql in try await QueryStore(sql).insert(query) }
        return query
    }
}

/// Deletes one of the actor's queries; anyone else's is "not found".
public struct DeleteQuery: Sendable {
    let queries: Queries

    public init(queries: Queries) { self.queries = queries }

    public func callAsFunction(_ actor: Principal, id: String) async throws {
        let query = try await queries.owned(id, by: actor)
        try await queries.database.transaction { sql in try await QueryStore(sql).delete(realm: query.realm, id: query.id) }
    }
}
