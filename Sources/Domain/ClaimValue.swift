/// A claim a protocol mapper adds to a token: any JSON value. Objects keep their members sorted by name, so a token's
/// bytes depend only on what it says.
public indirect enum ClaimValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([ClaimValue])
    case object([String: ClaimValue])

    /// Sets `value` at `path` inside this object (creating the objects on the way; a non-object on the way is
    /// replaced, as Keycloak's mappers overwrite). Returns the changed object.
    public static func setting(_ value: ClaimValue, at path: ArraySlice<String>, in object: [String: ClaimValue]) -> [String: ClaimValue] {
        guard let head = path.first else { return object }
        var object = object
        if path.count == 1 {
            object[head] = value
        } else {
            let inner: [String: ClaimValue] = if case .object(let existing)? = object[head] { existing } else { [:] }
            object[head] = .object(setting(value, at: path.dropFirst(), in: inner))
        }
        return object
    }

    /// The value as JSON.
    public func appendJSON(to bytes: inout [UInt8]) {
        switch self {
        case .string(let string): JSONObjectWriter.appendQuoted(string, to: &bytes)
        case .int(let int): bytes.append(contentsOf: String(int).utf8)
        case .double(let double): bytes.append(contentsOf: (double.isFinite ? String(double) : "null").utf8)
        case .bool(let bool): bytes.append(contentsOf: (bool ? "true" : "false").utf8)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                value.appendJSON(to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, name) in members.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONObjectWriter.appendQuoted(name, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                members[name]!.appendJSON(to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

extension ClaimValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? container.decode(Int.self) {
            self = .int(int)
        } else if let double = try? container.decode(Double.self) {
            self = .double(double)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([ClaimValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: ClaimValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
