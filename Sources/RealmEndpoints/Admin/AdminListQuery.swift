import Domain
import Hummingbird

/// The query parameters every Keycloak admin list takes: `first`, `max`, `search`, `exact` and
/// `briefRepresentation`. Numbers that are not integers are a 400; negative ones mean "from the start" and "all", as
/// Keycloak reads them. Booleans are Java's: `true` in any case is true, anything else false.
struct AdminListQuery {
    let parameters: [String: String]

    init(_ request: Request) {
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where parameters[String(name)] == nil { parameters[String(name)] = String(value) }
        self.parameters = parameters
    }

    /// The window, with `defaultMax` when the caller names none (Keycloak: 100 for users and role members, else all).
    func window(defaultMax: Int? = nil) throws -> ListWindow {
        ListWindow(first: try integer("first") ?? 0, max: try integer("max") ?? defaultMax)
    }

    func string(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }

    func flag(_ name: String) -> Bool? { parameters[name].map { $0.lowercased() == "true" } }

    /// `briefRepresentation`, whose default differs per list (users: false, roles: true).
    func brief(default fallback: Bool) -> Bool { flag("briefRepresentation") ?? fallback }

    /// The user search syntax of Keycloak 22 and later: `"foo"` exact, `*` a wildcard, anything else a prefix.
    func userSearch() -> TextMatch? {
        guard let text = string("search"), text != "*" else { return nil }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { return .equals(String(text.dropFirst().dropLast())) }
        return text.contains("*") ? .wildcard(text.hasSuffix("*") ? text : text + "*") : .prefix(text)
    }

    /// A field filter (`username`, `email`, …): equal with `exact=true`, else contained.
    func field(_ name: String) -> TextMatch? {
        guard let text = string(name) else { return nil }
        return flag("exact") == true ? .equals(text) : .contains(text)
    }

    private func integer(_ name: String) throws -> Int? {
        guard let text = parameters[name] else { return nil }
        guard let value = Int(text) else { throw AdminError.badRequest("Parameter '\(name)' must be an integer") }
        return value
    }
}
