import Foundation

/// A setting kept as one JSON text column (a realm's brute-force, events and required-action settings): keys sorted so
/// equal values store equal text. A value that does not decode (none stored yet) reads as nil, and the caller's default
/// stands.
enum JSONColumn {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static func text(_ value: some Encodable) -> String {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static func value<Value: Decodable>(_ text: String) -> Value? {
        text.isEmpty ? nil : try? JSONDecoder().decode(Value.self, from: Data(text.utf8))
    }
}
