import Domain

extension Cell {
    /// A page's table of cells, as people read it: at most `shownColumns` columns, each cell's text cut to
    /// `shownCharacters`, and `shownInAll` characters for the whole table (later cells show "…"). Pages are for people;
    /// whole values are in the API's pages, and a table of megabytes would cost its escaping and its bytes on every view.
    static func shown(_ rows: [[Cell]]) -> [[String]] {
        var left = shownInAll
        return rows.map { row in
            row.prefix(shownColumns).map { cell in
                // Past the table's allowance a cell is not even turned into text: its value may be megabytes.
                guard left > 0 else { return "…" }
                let text = cut(cell.plainText, to: min(shownCharacters, left))
                left -= text.count
                return text
            }
        }
    }

    static let shownColumns = 100
    static let shownCharacters = 1_000
    static let shownInAll = 64_000

    /// The first `characters` characters, walking no further into the text than that.
    private static func cut(_ text: String, to characters: Int) -> String {
        let kept = text.prefix(characters)
        return kept.endIndex == text.endIndex ? text : String(kept) + "…"
    }

    /// A chart's label: short, whatever the cell holds.
    var label: String { Self.cut(plainText, to: 64) }
}
