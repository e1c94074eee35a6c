import Foundation

/// Values as FastAPI (pydantic, lax mode) reads them, so NexusOne's clients and SDK, written against FastAPI, are
/// understood: booleans from `true/false/True/False/1/0/yes/no/on/off/t/f/y/n` (any case), integers from numbers or
/// digit strings, in query strings and JSON bodies alike.
public enum FastAPIValues {
    public static func boolean(_ text: some StringProtocol) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes", "on", "t", "y": true
        case "false", "0", "no", "off", "f", "n": false
        default: nil
        }
    }

    public static func integer(_ text: some StringProtocol) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return Int(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed)
    }
}

/// An integer field of a JSON body that also takes a digit string (`"30"`) or a whole float (`30.0`), as pydantic does.
public struct LaxInt: Decodable, Sendable, Equatable {
    public let value: Int

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            value = number
        } else if let text = try? container.decode(String.self), let number = FastAPIValues.integer(text) {
            value = number
        } else if let real = try? container.decode(Double.self), real.rounded() == real, let number = Int(exactly: real) {
            value = number
        } else {
            throw DecodingError.typeMismatch(Int.self, .init(codingPath: decoder.codingPath, debugDescription: "Input should be a valid integer"))
        }
    }
}

/// A boolean field of a JSON body that also takes FastAPI's spellings (`"yes"`, `"off"`, `1`, …).
public struct LaxBool: Decodable, Sendable, Equatable {
    public let value: Bool

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            value = flag
        } else if let number = try? container.decode(Int.self), number == 0 || number == 1 {
            value = number == 1
        } else if let text = try? container.decode(String.self), let flag = FastAPIValues.boolean(text) {
            value = flag
        } else {
            throw DecodingError.typeMismatch(Bool.self, .init(codingPath: decoder.codingPath, debugDescription: "Input should be a valid boolean"))
        }
    }
}
