import Foundation

/// Keycloak's attributes (a map of string lists) as one JSON text column, keys sorted so equal maps store equal text;
/// an empty map is no value at all.
enum AttributesColumn {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static func encode(_ attributes: [String: [String]]) -> String? {
        guard !attributes.isEmpty, let data = try? encoder.encode(attributes) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String?) -> [String: [String]] {
        text.flatMap { try? JSONDecoder().decode([String: [String]].self, from: Data($0.utf8)) } ?? [:]
    }
}
