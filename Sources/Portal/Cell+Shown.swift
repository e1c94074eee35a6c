import Domain

extension Cell {
    /// A cell as a page shows it: its text, cut to 1,000 characters. Pages are for people, and a value of megabytes
    /// would cost its escaping and its bytes on every view; the whole value is in the API's pages.
    var shown: String {
        let text = plainText
        guard text.utf8.count > Self.shownCharacters else { return text }
        return text.count > Self.shownCharacters ? String(text.prefix(Self.shownCharacters)) + "…" : text
    }

    static let shownCharacters = 1_000
}
