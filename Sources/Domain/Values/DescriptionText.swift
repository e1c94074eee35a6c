/// What a key or a domain is for, in the owner's words: at most 256 characters (api.md "Limits").
public struct DescriptionText: Sendable, Hashable, CustomStringConvertible {
    public static let maximumLength = 256
    public let value: String

    public init(_ raw: String?, field: String = "description") throws(ValueError) {
        let text = raw ?? ""
        guard text.count <= Self.maximumLength else {
            throw ValueError(field: field, message: "At most \(Self.maximumLength) characters", rule: .tooLong)
        }
        value = text
    }

    public var description: String { value }
}
