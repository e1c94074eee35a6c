/// A domain (`urn:li:domain:<name>`): a named group of warehouse tables, per realm.
public struct DataDomain: Sendable, Equatable {
    public var realm: String
    public var name: String
    public var description: String
    public var tables: [String]
    public var createdAt: Int

    public init(realm: String, name: String, description: String, tables: [String], createdAt: Int) {
        self.realm = realm
        self.name = name
        self.description = description
        self.tables = tables
        self.createdAt = createdAt
    }

    public var urn: String { Self.urn(name) }

    public static func urn(_ name: String) -> String { "urn:li:domain:\(name)" }

    /// The name in `urn:li:domain:<name>`, or the text itself when it is a bare name.
    public static func name(fromURN text: String) -> String {
        text.hasPrefix("urn:li:domain:") ? String(text.dropFirst("urn:li:domain:".count)) : text
    }
}

/// A question derived from a domain's schema; its id stays the same as long as the question does.
public struct Suggestion: Sendable, Equatable, Codable {
    public var id: String
    public var realm: String
    public var domain: String
    public var prompt: String
    public var query: String
    public var position: Int

    public init(id: String, realm: String, domain: String, prompt: String, query: String, position: Int) {
        self.id = id
        self.realm = realm
        self.domain = domain
        self.prompt = prompt
        self.query = query
        self.position = position
    }
}

/// A saved SQL question (NexusOne "query", formerly "card"), owned by the user who made it.
public struct SavedQuery: Sendable, Equatable, Codable {
    public var id: String
    public var realm: String
    public var ownerId: String
    public var suggestionId: String?
    /// Empty when the SQL reads tables of no single domain.
    public var domain: String
    public var prompt: String
    public var query: String
    /// Why the SQL failed to run when it was saved, if it did.
    public var error: String?
    public var createdAt: Int

    public init(
        id: String, realm: String, ownerId: String, suggestionId: String?, domain: String, prompt: String, query: String, error: String?,
        createdAt: Int
    ) {
        self.id = id
        self.realm = realm
        self.ownerId = ownerId
        self.suggestionId = suggestionId
        self.domain = domain
        self.prompt = prompt
        self.query = query
        self.error = error
        self.createdAt = createdAt
    }
}
