/// The name of a data product or a domain (api.md "Limits": `^[a-z][a-z0-9_]{0,62}$`): it appears in URLs
/// (`/api/data/{view_name}`) and URNs. Checked here once; everything downstream takes a `ResourceName`.
public struct ResourceName: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String?, field: String = "name") throws(ValueError) {
        guard let raw else { throw ValueError(field: field, message: "Field required", rule: .missing) }
        guard raw.wholeMatch(of: /[a-z][a-z0-9_]{0,62}/) != nil else {
            throw ValueError(field: field, message: "Must match ^[a-z][a-z0-9_]{0,62}$ (a-z, 0-9 and _, starting with a letter)", rule: .pattern)
        }
        value = raw
    }

    public var description: String { value }
}
