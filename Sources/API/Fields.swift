import Domain
import HTTPKit
import Identity

/// Field rules shared by the /api routes (api.md "Limits"), each failure a FastAPI 422 naming the field.
enum Fields {
    static func required(_ value: String?, field: String, maximumLength: Int = 100_000) throws -> String {
        guard let value, !value.isEmpty else { throw ValidationError(field: field, message: "Field required", type: "missing") }
        guard value.count <= maximumLength else {
            throw ValidationError(field: field, message: "At most \(maximumLength) characters", type: "string_too_long")
        }
        return value
    }

    /// An integer query parameter within `range`, or `fallback` when absent.
    static func integer(_ text: Substring?, name: String, range: ClosedRange<Int>, fallback: Int) throws -> Int {
        guard let text else { return fallback }
        guard let value = FastAPIValues.integer(text), range.contains(value) else {
            throw ValidationError(
                field: name, message: "Must be an integer from \(range.lowerBound) to \(range.upperBound)", type: "value_error", location: "query")
        }
        return value
    }
}
