import Domain

/// The relation names a statement may refer to, read as PostgreSQL reads identifiers: an unquoted name folded to
/// lower case in ASCII only, a quoted one as written, either cut to 63 bytes (NAMEDATALEN − 1, at a character's
/// boundary) — so a name that differs from a relation's only past its 63rd byte, or only in the case of a non-ASCII
/// letter, is still the relation PostgreSQL will read.
package struct PostgresNames: Equatable {
    /// Every identifier of the statement.
    package var names: Set<String> = []
    /// `schema.name` pairs, for names qualified by a schema (or by an alias: the caller knows which are schemas).
    package var qualified: [QualifiedName] = []

    package struct QualifiedName: Hashable {
        let qualifier: String
        let name: String
    }

    /// Nil when the text cannot be read (the caller then refuses).
    package init?(statement sql: String) {
        guard let tokens = try? SQLLexer.tokens(sql, dialect: .postgres, parameters: true) else { return nil }
        let identifiers = tokens.map { Self.identifier($0) }
        for (index, identifier) in identifiers.enumerated() {
            guard let identifier else { continue }
            names.insert(identifier)
            if index + 2 < tokens.count, tokens[index + 1].kind == .symbol, tokens[index + 1].text == ".", let next = identifiers[index + 2] {
                qualified.append(QualifiedName(qualifier: identifier, name: next))
            }
        }
    }

    private static func identifier(_ token: SQLLexer.Token) -> String? {
        switch token.kind {
        case .word: truncated(String(String.UnicodeScalarView(token.text.unicodeScalars.map(asciiLowercased))))
        case .quotedName: truncated(token.text)
        default: nil
        }
    }

    private static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
    }

    package static let maximumBytes = 63

    static func truncated(_ name: String) -> String {
        guard name.utf8.count > maximumBytes else { return name }
        var result = ""
        for character in name.unicodeScalars {
            guard result.utf8.count + String(character).utf8.count <= maximumBytes else { break }
            result.unicodeScalars.append(character)
        }
        return result
    }
}
