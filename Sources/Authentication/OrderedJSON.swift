import Foundation

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

    public var data: Data {
        var text = "{"
        for (index, (name, value)) in members.enumerated() {
            if index > 0 { text += "," }
            text += Self.quoted(name) + ":"
            switch value {
            case .string(let string): text += Self.quoted(string)
            case .int(let int): text += String(int)
            case .bool(let bool): text += bool ? "true" : "false"
            }
        }
        return Data((text + "}").utf8)
    }

    private static func quoted(_ string: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(string), as: UTF8.self)) ?? "\"\""
    }
}
