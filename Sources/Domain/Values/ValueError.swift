/// A value that breaks its rule, named by the field it came in (`name`, `description`, `validity_days`), so every front
/// end can say which input to fix: the API as FastAPI's 422, the admin REST as a 400, the portal on its form, the CLI
/// on its option.
public struct ValueError: Error, Sendable, Equatable {
    public enum Rule: String, Sendable {
        case missing
        case pattern = "string_pattern_mismatch"
        case tooLong = "string_too_long"
        case tooShort = "string_too_short"
        case range = "value_error"
    }

    public var field: String
    public var message: String
    public var rule: Rule

    public init(field: String, message: String, rule: Rule) {
        self.field = field
        self.message = message
        self.rule = rule
    }
}
