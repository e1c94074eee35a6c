/// Parses `order` (api.md): `column [asc|desc]`, comma-separated, columns of the view only.
public enum OrderParser {
    static let maximumTerms = 16

    public static func parse(_ text: String, columns: [String]) throws(FilterSyntaxError) -> [OrderTerm] {
        let tokens = try FilterToken.scan(text)
        let resolver = ColumnResolver(columns)
        var terms: [OrderTerm] = []
        var index = 0
        while true {
            guard index < tokens.count, tokens[index].kind == .word || tokens[index].kind == .quotedName else {
                throw FilterSyntaxError(message: "Expected a column name", position: index < tokens.count ? tokens[index].position : text.count + 1)
            }
            guard let column = resolver.resolve(tokens[index].text) else {
                throw FilterSyntaxError(message: "Unknown column '\(tokens[index].text)'", position: tokens[index].position)
            }
            index += 1
            var descending = false
            if index < tokens.count, tokens[index].isWord("asc") || tokens[index].isWord("desc") {
                descending = tokens[index].isWord("desc")
                index += 1
            }
            terms.append(OrderTerm(column: column, descending: descending))
            guard terms.count <= maximumTerms else { throw FilterSyntaxError(message: "At most \(maximumTerms) order terms", position: tokens[index - 1].position) }
            if index == tokens.count { return terms }
            guard tokens[index].kind == .symbol, tokens[index].text == "," else {
                throw FilterSyntaxError(message: "Unexpected '\(tokens[index].text)' (expected 'asc', 'desc' or ',')", position: tokens[index].position)
            }
            index += 1
        }
    }
}
