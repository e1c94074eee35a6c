import Domain
import Secrets
import Storage
import Warehouses

/// Reading saved queries: a domain's suggestions, one's own queries, their rows page by page, and the links that show
/// them (card and embed). Queries belong to their owner; anyone else gets "not found".
public struct Queries: Sendable {
    let database: any Database
    let catalog: DomainCatalog
    let secrets: SecretBox
    let clock: EpochClock
    let publicURL: String

    public init(database: any Database, catalog: DomainCatalog, secrets: SecretBox, clock: EpochClock, publicURL: String) {
        self.database = database
        self.catalog = catalog
        self.secrets = secrets
        self.clock = clock
        self.publicURL = publicURL
    }

    public func suggestions(_ actor: Principal, domain: String) async throws -> (DataDomain, [Suggestion]) {
        try QueryError.authorize(actor)
        let domain = try await catalog.domain(realm: actor.realm, named: domain)
        return (domain, try await catalog.suggestions(for: domain))
    }

    public func list(for actor: Principal, limit: Int) async throws -> [SavedQuery] {
        try QueryError.authorize(actor)
        return try await database.read { sql in try await QueryStore(sql).list(realm: actor.realm, ownerId: actor.subject, limit: limit) }
    }

    public func owned(_ id: String, by actor: Principal) async throws -> SavedQuery {
        try QueryError.authorize(actor)
        guard let query = try await database.read({ sql in try await QueryStore(sql).find(realm: actor.realm, id: id) }), query.ownerId == actor.subject
        else { throw QueryError.notFound(id) }
        return query
    }

    /// A query by id, for whoever presents a valid embed token for it (the embed page needs no sign-in). An embed token
    /// is accepted once (identity.md "Single use"); every view asks for a new link.
    public func embedded(_ id: String, token: String) async throws -> SavedQuery? {
        guard let claims = EmbedToken.open(token, queryId: id, secrets: secrets, now: clock.now),
            try await ConsumeOnce(database: database)(token, expiresAt: claims.expiresAt)
        else { return nil }
        return try await database.read { sql in try await QueryStore(sql).find(realm: claims.realm, id: id) }
    }

    /// One page of the query's rows (one more than `limit`, to tell whether another follows) and its columns, read
    /// within the realm's domains as they are now; the warehouse's refusals are `WarehouseError`.
    public func rows(of query: SavedQuery, start: Int, limit: Int) async throws -> (ResultSet, [String]) {
        let warehouse = try await catalog.scoped(realm: query.realm)
        let result = try await warehouse.page(of: query.query, start: start, limit: limit)
        return (result, result.columns.isEmpty ? try await warehouse.columns(of: query.query) : result.columns)
    }

    public func embedToken(for query: SavedQuery) throws -> (token: String, url: String, expiresAt: Int) {
        let expiresAt = clock.now + EmbedToken.lifetime
        let token = try EmbedToken(realm: query.realm, queryId: query.id, expiresAt: expiresAt).sealed(with: secrets)
        return (token, "\(publicURL)/embed/\(query.id)?token=\(token)", expiresAt)
    }

    /// The card's portal page (the portal of the query's realm).
    public func cardURL(_ query: SavedQuery) -> String { "\(publicURL)/portal/\(query.realm)/queries/\(query.id)" }
}
