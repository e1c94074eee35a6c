/// Splits SQL into words, quoted names, strings, numbers and symbols, skipping comments, so the read-only guard looks
/// at what the database will see and never at text inside literals or comments.
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
        /// 1-based character position in the input.
        var position: Int

        func isWord(_ word: String) -> Bool { kind == .word && text.lowercased() == word }
    }

    struct Failure: Error, Equatable {
        var message: String
        var position: Int
    }

    static func tokens(_ input: String) throws(Failure) -> [Token] {
        let characters = Array(input)
        var tokens: [Token] = []
        var index = 0
        func peek(_ offset: Int = 0) -> Character? { index + offset < characters.count ? characters[index + offset] : nil }

        while let character = peek() {
            let start = index
            if character.isWhitespace {
                index += 1
            } else if character == "-" && peek(1) == "-" {
                while let next = peek(), next != "\n" { index += 1 }
            } else if character == "/" && peek(1) == "*" {
                index += 2
                while peek() != nil && !(peek() == "*" && peek(1) == "/") {
                    if peek() == "/" && peek(1) == "*" { throw Failure(message: "Nested comments are not allowed", position: index + 1) }
                    index += 1
                }
                guard peek() != nil else { throw Failure(message: "Unterminated comment", position: start + 1) }
                index += 2
            } else if character == "'" || character == "\"" || character == "`" || character == "[" {
                let close: Character = character == "[" ? "]" : character
                index += 1
                var text = ""
                while true {
                    guard let next = peek() else { throw Failure(message: "Unterminated quote", position: start + 1) }
                    index += 1
                    if next == close {
                        if peek() == close && close != "]" {
                            text.append(close)
                            index += 1
                            continue
                        }
                        break
                    }
                    text.append(next)
                }
                tokens.append(Token(kind: character == "'" ? .string : .quotedName, text: text, position: start + 1))
            } else if character.isLetter || character == "_" {
                while let next = peek(), next.isLetter || next.isNumber || next == "_" { index += 1 }
                let word = String(characters[start..<index])
                if peek() == "'" && ["e", "u&"].contains(word.lowercased()) || (peek() == "&" && word.lowercased() == "u") {
                    // PostgreSQL escape strings read backslashes differently; refusing them keeps one reading of the text.
                    throw Failure(message: "Escape-string literals (E'…', U&'…') are not allowed", position: start + 1)
                }
                tokens.append(Token(kind: .word, text: word, position: start + 1))
            } else if character.isNumber {
                while let next = peek(), next.isNumber || next == "." || next == "e" || next == "E" { index += 1 }
                tokens.append(Token(kind: .number, text: String(characters[start..<index]), position: start + 1))
            } else if character == "$" || character == "?" || character == ":" && peek(1)?.isLetter == true || character == "@" {
                throw Failure(message: "Parameters and dollar quoting are not allowed", position: start + 1)
            } else if character.isASCII {
                index += 1
                tokens.append(Token(kind: .symbol, text: String(character), position: start + 1))
            } else {
                throw Failure(message: "Unexpected character '\(character)'", position: start + 1)
            }
        }
        return tokens
    }
}
