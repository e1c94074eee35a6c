import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// `/api/query…` (api.md "Queries"): suggestions, saved queries and their rows, embed links. Everything needs `nx1_ask`
/// (the use cases check).
public struct QueryController: Sendable {
    let queries: Queries
    let create: CreateQuery
    let delete: DeleteQuery
    let pages: PageBudget

    public init(queries: Queries, create: CreateQuery, delete: DeleteQuery, pages: PageBudget) {
        self.queries = queries
        self.create = create
        self.delete = delete
        self.pages = pages
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.post("query/suggest", use: suggest)
        group.post("query", use: create)
        group.post("query/submit", use: submit)
        group.post("query/ask", use: ask)
        group.get("query", use: list)
        group.get("query/:id/data", use: data)
        group.delete("query/:id", use: deleteQuery)
        group.post("query/embed/token", use: embedToken)
    }

    struct Body: Decodable {
        var domain: String?
        var prompt: String?
        var query: String?
        var suggestionId: String?
        var queryId: String?

        enum CodingKeys: String, CodingKey {
            case domain, prompt, query
            case suggestionId = "suggestion_id"
            case queryId = "query_id"
        }
    }

    @Sendable func suggest(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: Body.self, context: context)
        let (domain, suggestions) = try await queries.suggestions(context.principal, domain: try Fields.required(body.domain, field: "domain", maximumLength: 200))
        return JSONBody.response(
            suggestions.map { SuggestionBody(id: $0.id, domain: domain.name, domainUrn: domain.urn, prompt: $0.prompt, query: $0.query) })
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: Body.self, context: context)
        let query = try await create.fromSuggestion(context.principal, id: try Fields.required(body.suggestionId, field: "suggestion_id", maximumLength: 100))
        return JSONBody.response(try card(query))
    }

    @Sendable func submit(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: Body.self, context: context)
        let query = try await create.fromSQL(
            context.principal, sql: try QueryText(body.query), domain: body.domain, prompt: try PromptText(body.prompt, required: false))
        let card = try card(query)
        return JSONBody.response(
            SubmittedBody(card: card, embedInfo: EmbedInfo(embedUrl: card.embedUrl, entityId: query.id, token: card.token)))
    }

    @Sendable func ask(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: Body.self, context: context)
        let domain = try Fields.required(body.domain, field: "domain", maximumLength: 200)
        let prompt = try PromptText(body.prompt, required: true)
        guard let query = try await create.fromPrompt(context.principal, prompt: prompt, domain: domain) else {
            let name = DataDomain.name(fromURN: domain)
            return JSONBody.response(
                CardBody(
                    id: "", cardUrl: "", embedUrl: "", domain: name, domainUrn: DataDomain.urn(name), query: "", prompt: prompt.value,
                    error: Nullable("No question in the domain \(name) matches the prompt; POST /api/query/suggest lists the questions it can answer."),
                    token: ""))
        }
        return JSONBody.response(try card(query))
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let limit = try Fields.integer(request.uri.queryParameters["limit"], name: "limit", range: 1...100, fallback: 20)
        let listed = try await queries.list(for: context.principal, limit: limit).map { query in
            ListedBody(
                id: query.id, suggestionId: Nullable(query.suggestionId), cardUrl: queries.cardURL(query), domain: query.domain,
                domainUrn: query.domain.isEmpty ? "" : DataDomain.urn(query.domain), prompt: query.prompt, query: query.query,
                createdAt: Timestamp.iso(query.createdAt))
        }
        return JSONBody.response(listed)
    }

    @Sendable func data(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let query = try await queries.owned(try context.parameters.require("id"), by: context.principal)
        let window = try DataPage.Window(request)
        let (result, columns) = try await WarehouseFailure.run(field: "id", location: "path") {
            try await queries.rows(of: query, start: window.start, limit: window.limit)
        }
        return try await DataPage(result, window: window, columns: columns).response(for: request, budget: pages)
    }

    @Sendable func deleteQuery(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await delete(context.principal, id: try context.parameters.require("id"))
        return Response(status: .noContent)
    }

    @Sendable func embedToken(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decode(as: Body.self, context: context)
        let query = try await queries.owned(try Fields.required(body.queryId, field: "query_id", maximumLength: 100), by: context.principal)
        let embed = try queries.embedToken(for: query)
        return JSONBody.response(headers: [.cacheControl: "no-store"], EmbedBody(token: embed.token, embedUrl: embed.url, expiresAt: Timestamp.iso(embed.expiresAt)))
    }

    private func card(_ query: SavedQuery) throws -> CardBody {
        let embed = try queries.embedToken(for: query)
        return CardBody(
            id: query.id, cardUrl: queries.cardURL(query), embedUrl: embed.url, domain: query.domain,
            domainUrn: query.domain.isEmpty ? "" : DataDomain.urn(query.domain), query: query.query, prompt: query.prompt, error: Nullable(query.error),
            token: embed.token)
    }
}
