/// `POST /api/query/ask` without an AI service: the prompt's words against each suggestion's words (Jaccard
/// similarity after lower-casing, dropping filler words and a plural `s`). The best score wins, earlier suggestions win
/// ties, and no shared word means no match — simple enough to explain to the person asking.
public enum PromptMatcher {
    static let fillerWords: Set<String> = [
        "a", "an", "the", "of", "per", "by", "is", "are", "what", "which", "there", "in", "for", "to", "do", "does", "me", "show",
        "with", "and", "or", "on", "at", "i", "we", "our", "my", "please", "give", "list", "tell", "each", "how",
    ]

    /// The index of the best match in `prompts`, or nil when no prompt shares a word with `prompt`.
    public static func bestMatch(for prompt: String, in prompts: [String]) -> Int? {
        let wanted = words(prompt)
        guard !wanted.isEmpty else { return nil }
        var best: (index: Int, score: Double)?
        for (index, candidate) in prompts.enumerated() {
            let offered = words(candidate)
            let shared = wanted.intersection(offered).count
            guard shared > 0 else { continue }
            let score = Double(shared) / Double(wanted.union(offered).count)
            if score > (best?.score ?? 0) { best = (index, score) }
        }
        return best?.index
    }

    static func words(_ text: String) -> Set<String> {
        let tokens = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
        return Set(tokens.filter { !fillerWords.contains($0) }.map { $0.count > 3 && $0.hasSuffix("s") ? String($0.dropLast()) : $0 })
    }
}
