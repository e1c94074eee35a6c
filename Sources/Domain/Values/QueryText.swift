/// SQL as a person writes it for a card or a data product: present, and at most `maximumBytes` bytes (the guard reads
/// it whole before any database sees it). Whether it is one read-only statement is the guard's to say.
public struct QueryText: Sendable {
    public static let maximumBytes = 100_000

    public let value: String

    public init(_ raw: String?, field: String = "query") throws(ValueError) {
        guard let raw, !raw.isEmpty else { throw ValueError(field: field, message: "Field required", rule: .missing) }
        guard raw.utf8.count <= Self.maximumBytes else { throw ValueError(field: field, message: "At most 100,000 bytes", rule: .tooLong) }
        value = raw
    }
}

/// A question in words, as a card keeps it: at most `maximumLength` characters; required when it is what the card is
/// made from ("ask"), optional beside the user's own SQL.
public struct PromptText: Sendable {
    public static let maximumLength = 1_000

    public let value: String

    public init(_ raw: String?, field: String = "prompt", required: Bool) throws(ValueError) {
        let text = raw ?? ""
        if required, text.isEmpty { throw ValueError(field: field, message: "Field required", rule: .missing) }
        guard text.count <= Self.maximumLength else { throw ValueError(field: field, message: "At most 1,000 characters", rule: .tooLong) }
        value = text
    }
}
