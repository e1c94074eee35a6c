import Domain

/// Splits SQL into words, quoted names, strings, numbers and symbols, skipping comments, so the read-only guard can
/// give an early, friendly refusal. It reads Unicode scalars, as the databases do, never Swift `Character`s: a CR LF
/// pair or a quote followed by a combining mark is one `Character` but two scalars to the database. Comments and
/// quotes follow each database's own rules (a `--` comment ends at LF on SQLite, at CR or LF on PostgreSQL; `[`
/// quotes a name on SQLite only): where the lexer and the database disagree on where a comment or a literal ends, the
/// text after it is code to one and hidden to the other. The boundary itself is the engine's (docs/security.md).
struct SQLLexer {
    enum Kind: Equatable {
        case word  // keyword or bare identifier, as written
        case quotedName  // "name" (or `name`, [name] on SQLite), unquoted
        case string  // 'text', unquoted
        case number
        case symbol
    }

    struct Token: Equatable {
        var kind: Kind
        var text: String
        /// 1-based position in the input, counted in Unicode scalars.
        var position: Int

        func isWord(_ word: String) -> Bool { kind == .word && text.lowercased() == word }
    }

    struct Failure: Error, Equatable {
        var message: String
        var position: Int
    }

    /// `parameters`: `$1`-style placeholders are read as numbers (a statement we serialized with bound values), instead
    /// of being refused as in user SQL.
    static func tokens(_ input: String, dialect: WarehouseKind, parameters: Bool = false) throws(Failure) -> [Token] {
        let scalars = Array(input.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        func peek(_ offset: Int = 0) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        let quotes: Set<Unicode.Scalar> = dialect == .sqlite ? ["'", "\"", "`", "["] : ["'", "\""]
        // SQLite's tokenizer ends a `--` comment at LF only (tokenize.c); PostgreSQL's at CR or LF (scan.l).
        func endsComment(_ scalar: Unicode.Scalar) -> Bool { scalar == "\n" || dialect == .postgres && scalar == "\r" }

        while let scalar = peek() {
            let start = index
            if isSpace(scalar) {
                index += 1
            } else if scalar == "-" && peek(1) == "-" {
                while let next = peek(), !endsComment(next) { index += 1 }
            } else if scalar == "/" && peek(1) == "*" {
                index += 2
                while peek() != nil && !(peek() == "*" && peek(1) == "/") {
                    if peek() == "/" && peek(1) == "*" { throw Failure(message: "Nested comments are not allowed", position: index + 1) }
                    index += 1
                }
                guard peek() != nil else { throw Failure(message: "Unterminated comment", position: start + 1) }
                index += 2
            } else if quotes.contains(scalar) {
                let close: Unicode.Scalar = scalar == "[" ? "]" : scalar
                index += 1
                var content = String.UnicodeScalarView()
                while true {
                    guard let next = peek() else { throw Failure(message: "Unterminated quote", position: start + 1) }
                    index += 1
                    if next == close {
                        if peek() == close && close != "]" {
                            content.append(close)
                            index += 1
                            continue
                        }
                        break
                    }
                    content.append(next)
                }
                tokens.append(Token(kind: scalar == "'" ? .string : .quotedName, text: String(content), position: start + 1))
            } else if isWordStart(scalar) {
                while let next = peek(), isWordStart(next) || isDigit(next) { index += 1 }
                let word = text(start..<index)
                if peek() == "'" && ["e", "u&"].contains(word.lowercased()) || (peek() == "&" && word.lowercased() == "u") {
                    // PostgreSQL escape strings read backslashes differently; refusing them keeps one reading of the text.
                    throw Failure(message: "Escape-string literals (E'…', U&'…') are not allowed", position: start + 1)
                }
                tokens.append(Token(kind: .word, text: word, position: start + 1))
            } else if isDigit(scalar) {
                while let next = peek(), isDigit(next) || next == "." || next == "e" || next == "E" { index += 1 }
                tokens.append(Token(kind: .number, text: text(start..<index), position: start + 1))
            } else if parameters && scalar == "$" && peek(1).map(isDigit) == true {
                index += 1
                while let next = peek(), isDigit(next) { index += 1 }
                tokens.append(Token(kind: .number, text: text(start..<index), position: start + 1))
            } else if scalar == "$" || scalar == "?" || scalar == ":" && peek(1).map(isWordStart) == true || scalar == "@" {
                throw Failure(message: "Parameters and dollar quoting are not allowed", position: start + 1)
            } else if scalar.isASCII && scalar.value >= 0x21 && scalar.value < 0x7f {
                index += 1
                tokens.append(Token(kind: .symbol, text: String(scalar), position: start + 1))
            } else {
                let shown = scalar.value < 0x20 || scalar.value == 0x7f ? scalar.escaped(asASCII: true) : String(scalar)
                throw Failure(message: "Unexpected character '\(shown)'", position: start + 1)
            }
        }
        return tokens
    }

    /// Whitespace as both databases read it between tokens: ASCII only (SQLite takes other scalars as name characters).
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0B}" || scalar == "\u{0C}"
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// Letters, `_`, and any non-ASCII letter (both databases allow those in bare names).
    private static func isWordStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || !scalar.isASCII && scalar.properties.isAlphabetic
    }
}
