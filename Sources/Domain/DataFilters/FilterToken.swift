/// The tokens of the filter language. Only ASCII punctuation is meaningful: look-alike quotes (’ ‘ ＇) and anything
/// else outside the grammar are refused with their position.
struct FilterToken: Equatable {
    enum Kind: Equatable {
        case word
        case quotedName
        case string
        case number
        case symbol
    }

    var kind: Kind
    var text: String
    var position: Int

    func isWord(_ word: String) -> Bool { kind == .word && text.lowercased() == word }

    static func scan(_ input: String) throws(FilterSyntaxError) -> [FilterToken] {
        let characters = Array(input)
        var tokens: [FilterToken] = []
        var index = 0
        func peek(_ offset: Int = 0) -> Character? { index + offset < characters.count ? characters[index + offset] : nil }

        while let character = peek() {
            let start = index
            if character == " " || character == "\t" || character == "\n" || character == "\r" {
                index += 1
            } else if character == "'" || character == "\"" {
                index += 1
                var text = ""
                while true {
                    guard let next = peek() else { throw FilterSyntaxError(message: "Unterminated quote", position: start + 1) }
                    index += 1
                    if next == character {
                        if peek() == character {
                            text.append(character)
                            index += 1
                            continue
                        }
                        break
                    }
                    text.append(next)
                }
                tokens.append(FilterToken(kind: character == "'" ? .string : .quotedName, text: text, position: start + 1))
            } else if character.isASCII && (character.isLetter || character == "_") {
                while let next = peek(), next.isASCII && (next.isLetter || next.isNumber || next == "_") { index += 1 }
                tokens.append(FilterToken(kind: .word, text: String(characters[start..<index]), position: start + 1))
            } else if character.isASCII && character.isNumber || (character == "-" || character == ".") && peek(1)?.isASCII == true && peek(1)?.isNumber == true {
                index += 1
                while let next = peek(), next.isASCII && (next.isNumber || next == "." || next == "e" || next == "E")
                    || (next == "-" || next == "+") && (characters[index - 1] == "e" || characters[index - 1] == "E")
                {
                    index += 1
                }
                tokens.append(FilterToken(kind: .number, text: String(characters[start..<index]), position: start + 1))
            } else if ["<=", ">=", "!=", "<>"].contains(String(characters[start..<min(start + 2, characters.count)])) {
                index += 2
                tokens.append(FilterToken(kind: .symbol, text: String(characters[start..<index]), position: start + 1))
            } else if "=<>(),".contains(character) {
                index += 1
                tokens.append(FilterToken(kind: .symbol, text: String(character), position: start + 1))
            } else {
                throw FilterSyntaxError(message: "Unexpected character '\(character)'", position: start + 1)
            }
        }
        return tokens
    }
}
