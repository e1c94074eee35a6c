import SQLKit

/// Row structs use Swift names; columns use snake_case.
enum Codecs {
    static let decoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)
    static let encoder = SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil)
}
