import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// Queries (cards) for `nx1_ask` (portal.md "Queries"): the list, a new query from a domain's suggestions or from SQL,
/// and the card page — chart, rows page by page, the SQL and an embed link. The use cases decide who may.
struct QueryPages: Sendable {
    let queries: Queries
    let create: CreateQuery
    let delete: DeleteQuery
    let catalog: DomainCatalog
    let pages: PortalPages

    static let pageSize = 50

    func addRoutes(to portal: RouterGroup<AppRequestContext>, signedIn: SettingsPages.SignedIn, changing: SettingsPages.Changing) {
        portal.get("queries", use: signedIn { _, _, user, realm in
            let listed = try await queries.list(for: user.principal, limit: 100).map { query in
                ["id": query.id, "prompt": query.prompt.isEmpty ? query.query : query.prompt, "domain": query.domain, "created": SettingsPages.date(query.createdAt)]
            }
            return pages.render("queries", user: user, realm: realm, ["queries": listed])
        })
        portal.get("queries/new", use: signedIn { request, _, user, realm in
            try await new(request.uri.queryParameters["domain"].map(String.init), user: user, realm: realm)
        })
        portal.post("queries", use: changing { form, _, user, realm in
            let query = try await create.fromSuggestion(user.principal, id: form["suggestion_id"] ?? "")
            return PortalPages.redirect("/portal/\(realm)/queries/\(query.id)")
        })
        portal.post("queries/submit", use: changing { form, _, user, realm in
            do {
                let query = try await create.fromSQL(
                    user.principal, sql: try QueryText(form["query"]), domain: form["domain"], prompt: try PromptText(form["prompt"], required: false))
                return PortalPages.redirect("/portal/\(realm)/queries/\(query.id)")
            } catch let error as ValueError {
                return try await new(form["domain"], user: user, realm: realm, error: error.message, sql: form["query"])
            }
        })
        portal.get("queries/:id", use: signedIn { request, context, user, realm in
            let query = try await queries.owned(try context.parameters.require("id"), by: user.principal)
            let start = max(0, Int(request.uri.queryParameters["start"] ?? "0") ?? 0)
            return pages.render("card", user: user, realm: realm, try await card(query, start: start, embed: true))
        })
        portal.post("queries/:id/delete", use: changing { _, context, user, realm in
            try await delete(user.principal, id: try context.parameters.require("id"))
            return PortalPages.redirect("/portal/\(realm)/queries")
        })
    }

    /// What a card shows: the question, the chart, one page of rows and the SQL (shared with the embed page).
    func card(_ query: SavedQuery, start: Int, embed: Bool) async throws -> [String: Any] {
        var values: [String: Any] = ["id": query.id, "prompt": query.prompt.isEmpty ? "Query" : query.prompt, "sql": query.query, "domain": query.domain]
        if let error = query.error {
            values["error"] = error
            return values
        }
        do {
            let (result, columns) = try await queries.rows(of: query, start: start, limit: Self.pageSize)
            let shown = ResultSet(columns: columns, rows: Array(result.rows.prefix(Self.pageSize)))
            values["columns"] = Array(columns.prefix(Cell.shownColumns))
            values["hasColumns"] = !columns.isEmpty
            values["rows"] = Cell.shown(shown.rows).map { row in ["cells": row] }
            if start == 0, let svg = ChartRenderer.svg(for: shown, title: query.prompt.isEmpty ? "Result" : query.prompt) { values["chart"] = svg }
            if result.rows.count > Self.pageSize { values["next"] = start + Self.pageSize }
            if start > 0 { values["previous"] = max(0, start - Self.pageSize) }
        } catch let error as WarehouseError {
            values["error"] = error.message
        }
        if embed { values["embedUrl"] = try queries.embedToken(for: query).url }
        return values
    }

    private func new(_ domain: String?, user: PortalUser, realm: String, error: String? = nil, sql: String? = nil) async throws -> Response {
        try QueryError.authorize(user.principal)
        var values: [String: Any] = ["domains": try await catalog.domains(realm: realm).map { ["name": $0.name, "description": $0.description] }]
        if let domain, !domain.isEmpty {
            let (found, suggestions) = try await queries.suggestions(user.principal, domain: domain)
            values["domain"] = found.name
            values["suggestions"] = suggestions.enumerated().map { index, suggestion in
                ["index": index, "id": suggestion.id, "prompt": suggestion.prompt, "query": suggestion.query] as [String: Any]
            }
        }
        if let error { values["error"] = error }
        values["sql"] = sql ?? ""
        return pages.render("query-new", user: user, realm: realm, values, status: error == nil ? .ok : .unprocessableContent)
    }
}
