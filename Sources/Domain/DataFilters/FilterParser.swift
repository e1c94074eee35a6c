/// Parses the `filter` language of `GET /api/data/{view}` (api.md) by recursive descent:
///
///     expression := conjunction ("or" conjunction)*
///     conjunction := term ("and" term)*
///     term       := "(" expression ")" | column ( op value | "like" string | "in" "(" value ("," value)* ")"
///                   | "is" ["not"] "null" )
///     op         := "=" | "!=" | "<>" | "<" | "<=" | ">" | ">="
///     value      := 'string' ('' escapes a quote) | number | true | false
///
/// Columns must be the view's; nothing of the input is ever spliced into SQL (see `FilterSQL`).
public struct FilterParser {
    public static let maximumLength = 4_000
    static let maximumDepth = 32
    static let maximumListLength = 1_000

    private var tokens: [FilterToken]
    private var index = 0
    private var depth = 0
    private let columns: ColumnResolver

    public static func parse(_ text: String, columns: [String]) throws(FilterSyntaxError) -> FilterExpression {
        guard text.count <= maximumLength else { throw FilterSyntaxError(message: "The filter is longer than \(maximumLength) characters", position: maximumLength) }
        var parser = FilterParser(tokens: try FilterToken.scan(text), columns: ColumnResolver(columns))
        guard !parser.tokens.isEmpty else { throw FilterSyntaxError(message: "The filter is empty", position: 1) }
        let expression = try parser.expression()
        if let extra = parser.current {
            throw FilterSyntaxError(message: "Unexpected '\(extra.text)' (expected 'and', 'or' or the end)", position: extra.position)
        }
        return expression
    }

    private init(tokens: [FilterToken], columns: ColumnResolver) {
        self.tokens = tokens
        self.columns = columns
    }

    private var current: FilterToken? { index < tokens.count ? tokens[index] : nil }
    private var endPosition: Int { (tokens.last.map { $0.position + $0.text.count }) ?? 1 }

    private mutating func expression() throws(FilterSyntaxError) -> FilterExpression {
        var left = try conjunction()
        while current?.isWord("or") == true {
            index += 1
            left = .or(left, try conjunction())
        }
        return left
    }

    private mutating func conjunction() throws(FilterSyntaxError) -> FilterExpression {
        var left = try term()
        while current?.isWord("and") == true {
            index += 1
            left = .and(left, try term())
        }
        return left
    }

    private mutating func term() throws(FilterSyntaxError) -> FilterExpression {
        guard let token = current else { throw FilterSyntaxError(message: "Unexpected end (expected a column or '(')", position: endPosition) }
        if token.kind == .symbol && token.text == "(" {
            depth += 1
            guard depth <= Self.maximumDepth else { throw FilterSyntaxError(message: "Too many nested parentheses", position: token.position) }
            index += 1
            let inner = try expression()
            try expect(")", "a closing ')'")
            depth -= 1
            return inner
        }
        let column = try columnName()
        guard let next = current else { throw FilterSyntaxError(message: "Unexpected end (expected an operator after '\(column)')", position: endPosition) }
        index += 1
        if next.kind == .symbol, let op = Self.operators[next.text] {
            return .compare(column: column, op, try value())
        }
        if next.isWord("like") {
            guard let pattern = current, pattern.kind == .string else {
                throw FilterSyntaxError(message: "'like' needs a quoted pattern", position: current?.position ?? endPosition)
            }
            index += 1
            return .like(column: column, pattern.text)
        }
        if next.isWord("in") {
            try expect("(", "'(' after 'in'")
            var values = [try value()]
            while current?.kind == .symbol && current?.text == "," {
                index += 1
                values.append(try value())
                guard values.count <= Self.maximumListLength else {
                    throw FilterSyntaxError(message: "An 'in' list takes at most \(Self.maximumListLength) values", position: current?.position ?? endPosition)
                }
            }
            try expect(")", "',' or ')' in the 'in' list")
            return .isIn(column: column, values)
        }
        if next.isWord("is") {
            let negated = current?.isWord("not") == true
            if negated { index += 1 }
            guard current?.isWord("null") == true else {
                throw FilterSyntaxError(message: "Expected 'null' after 'is\(negated ? " not" : "")'", position: current?.position ?? endPosition)
            }
            index += 1
            return .isNull(column: column, negated: negated)
        }
        throw FilterSyntaxError(message: "Unexpected '\(next.text)' (expected =, !=, <, <=, >, >=, like, in or is)", position: next.position)
    }

    private static let operators: [String: FilterOperator] = [
        "=": .equal, "!=": .notEqual, "<>": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    private mutating func columnName() throws(FilterSyntaxError) -> String {
        guard let token = current, token.kind == .word || token.kind == .quotedName else {
            throw FilterSyntaxError(message: "Expected a column name, found '\(current?.text ?? "")'", position: current?.position ?? endPosition)
        }
        guard let column = columns.resolve(token.text) else {
            throw FilterSyntaxError(message: "Unknown column '\(token.text)'", position: token.position)
        }
        index += 1
        return column
    }

    private mutating func value() throws(FilterSyntaxError) -> FilterValue {
        guard let token = current else { throw FilterSyntaxError(message: "Unexpected end (expected a value)", position: endPosition) }
        index += 1
        switch token.kind {
        case .string: return .text(token.text)
        case .number:
            if let integer = Int(token.text) { return .integer(integer) }
            if let real = Double(token.text), real.isFinite { return .real(real) }
            throw FilterSyntaxError(message: "'\(token.text)' is not a number", position: token.position)
        case .word where token.isWord("true"): return .boolean(true)
        case .word where token.isWord("false"): return .boolean(false)
        default:
            throw FilterSyntaxError(message: "Expected a value ('text', a number, true or false), found '\(token.text)'", position: token.position)
        }
    }

    private mutating func expect(_ symbol: String, _ what: String) throws(FilterSyntaxError) {
        guard let token = current, token.kind == .symbol, token.text == symbol else {
            throw FilterSyntaxError(message: "Expected \(what)", position: current?.position ?? endPosition)
        }
        index += 1
    }
}

/// The view's column names, matched exactly or, failing that, case-insensitively when that is unambiguous.
struct ColumnResolver {
    let exact: Set<String>
    let folded: [String: String]

    init(_ columns: [String]) {
        exact = Set(columns)
        var folded: [String: String] = [:]
        var ambiguous: Set<String> = []
        for column in columns {
            let key = column.lowercased()
            if folded[key] != nil { ambiguous.insert(key) }
            folded[key] = column
        }
        for key in ambiguous { folded[key] = nil }
        self.folded = folded
    }

    func resolve(_ name: String) -> String? { exact.contains(name) ? name : folded[name.lowercased()] }
}
