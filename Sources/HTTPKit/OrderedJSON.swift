import Domain

/// A JSON object written with its members in a fixed order. Foundation's encoder does not keep member order, and
/// people compare token responses with the NexusOne docs by eye (`| jq` keeps the order it receives).
public struct OrderedJSON: Sendable {
    public enum Value: Sendable {
        case string(String)
        case int(Int)
        case bool(Bool)
    }

    private var members: [(String, Value)] = []

    public init() {}

    public mutating func append(_ name: String, _ value: Value?) {
        if let value { members.append((name, value)) }
    }

    public var bytes: [UInt8] {
        var writer = JSONObjectWriter()
        for (name, value) in members {
            switch value {
            case .string(let string): writer.string(name, string)
            case .int(let int): writer.int(name, int)
            case .bool(let bool): writer.bool(name, bool)
            }
        }
        return writer.finish()
    }
}
