import HTTPKit
import Identity

/// Response bodies of the query routes, field names as api.md has them.
struct SuggestionBody: Encodable {
    let id: String
    let domain: String
    let domainUrn: String
    let prompt: String
    let query: String

    enum CodingKeys: String, CodingKey {
        case id, domain, prompt, query
        case domainUrn = "domain_urn"
    }
}

/// `{id, card_url, embed_url, domain, domain_urn, query, prompt, error}`; `error` is null when the SQL ran.
struct CardBody: Encodable {
    let id: String
    let cardUrl: String
    let embedUrl: String
    let domain: String
    let domainUrn: String
    let query: String
    let prompt: String
    let error: Nullable<String>
    /// Not part of the body: `submit` repeats it in `embed_info`.
    let token: String

    enum CodingKeys: String, CodingKey {
        case id, domain, query, prompt, error
        case cardUrl = "card_url"
        case embedUrl = "embed_url"
        case domainUrn = "domain_urn"
    }
}

struct EmbedInfo: Encodable {
    let embedUrl: String
    let entityId: String
    let token: String

    enum CodingKeys: String, CodingKey {
        case token
        case embedUrl = "embed_url"
        case entityId = "entity_id"
    }
}

/// `submit`'s answer: the card's fields plus `embed_info` and `analytics_provider`.
struct SubmittedBody: Encodable {
    let card: CardBody
    let embedInfo: EmbedInfo

    enum CodingKeys: String, CodingKey {
        case embedInfo = "embed_info"
        case analyticsProvider = "analytics_provider"
    }

    func encode(to encoder: any Encoder) throws {
        try card.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(embedInfo, forKey: .embedInfo)
        try container.encode("nexusone", forKey: .analyticsProvider)
    }
}

struct ListedBody: Encodable {
    let id: String
    let suggestionId: Nullable<String>
    let cardUrl: String
    let domain: String
    let domainUrn: String
    let prompt: String
    let query: String
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, domain, prompt, query
        case suggestionId = "suggestion_id"
        case cardUrl = "card_url"
        case domainUrn = "domain_urn"
        case createdAt = "created_at"
    }
}

struct EmbedBody: Encodable {
    let token: String
    let embedUrl: String
    let expiresAt: String

    enum CodingKeys: String, CodingKey {
        case token
        case embedUrl = "embed_url"
        case expiresAt = "expires_at"
    }
}
