import Domain
import Foundation

/// Useful questions derived from a domain's schema alone (api.md "Suggestions"): counts per category, totals of
/// measures per category, monthly trends over date columns, and the top rows by a measure. Same schema, same
/// questions, in the same order — so stored suggestions keep their ids.
public enum SuggestionGenerator {
    public struct Question: Sendable, Equatable {
        public var prompt: String
        public var query: String
    }

    public static func questions(for tables: [WarehouseTable]) -> [Question] {
        tables.flatMap { questions(for: $0) }
    }

    static func questions(for table: WarehouseTable) -> [Question] {
        let columns = table.columns.map(ColumnRole.init)
        let categories = columns.filter { $0.role == .category }.prefix(2).map(\.name)
        let measures = columns.filter { $0.role == .measure }.prefix(2).map(\.name)
        let dates = columns.filter { $0.role == .date }.prefix(1).map(\.name)
        let noun = words(table.name)
        let from = quoted(table.name)
        let countName = quoted("\(table.name)_count")
        var questions: [Question] = []
        for category in categories {
            questions.append(Question(
                prompt: "How many \(noun) are there per \(words(category))?",
                query: "SELECT \(quoted(category)), COUNT(*) AS \(countName) FROM \(from) GROUP BY \(quoted(category)) ORDER BY \(countName) DESC"))
            for measure in measures {
                let total = quoted(totalName(measure))
                questions.append(Question(
                    prompt: "What is \(totalWords(measure)) per \(words(category))?",
                    query: "SELECT \(quoted(category)), ROUND(CAST(SUM(\(quoted(measure))) AS NUMERIC), 2) AS \(total) FROM \(from) GROUP BY \(quoted(category)) ORDER BY \(total) DESC"))
            }
        }
        for date in dates {
            let month = "SUBSTR(CAST(\(quoted(date)) AS TEXT), 1, 7)"
            questions.append(Question(
                prompt: "How many \(noun) are there per month of \(words(date))?",
                query: "SELECT \(month) AS month, COUNT(*) AS \(countName) FROM \(from) GROUP BY \(month) ORDER BY month"))
            for measure in measures.prefix(1) {
                let total = quoted(totalName(measure))
                questions.append(Question(
                    prompt: "How does \(totalWords(measure)) change per month of \(words(date))?",
                    query: "SELECT \(month) AS month, ROUND(CAST(SUM(\(quoted(measure))) AS NUMERIC), 2) AS \(total) FROM \(from) GROUP BY \(month) ORDER BY month"))
            }
        }
        for measure in measures.prefix(1) {
            questions.append(Question(
                prompt: "Which 10 \(noun) have the highest \(words(measure))?",
                query: "SELECT * FROM \(from) ORDER BY \(quoted(measure)) DESC LIMIT 10"))
        }
        return questions
    }

    /// Names that must be quoted in generated SQL because they are keywords.
    static let reservedNames: Set<String> = ["order", "group", "select", "from", "where", "user", "table", "month", "limit", "offset"]

    static func words(_ name: String) -> String { name.replacingOccurrences(of: "_", with: " ") }

    /// `total_amount` stays itself rather than becoming "total total amount".
    static func totalName(_ measure: String) -> String { measure.lowercased().hasPrefix("total_") ? measure : "total_\(measure)" }

    static func totalWords(_ measure: String) -> String { "the " + words(totalName(measure)) }

    /// A name as an identifier both dialects read: bare when it is plain lower-case, else double-quoted.
    static func quoted(_ name: String) -> String {
        let plain = name.first.map { $0.isLowercase && $0.isASCII } == true
            && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
            && !reservedNames.contains(name)
        return plain ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// What part a column can play in a question, judged from its name and declared type.
struct ColumnRole {
    enum Role {
        case identifier
        case date
        case measure
        case category
        case label
    }

    let name: String
    let role: Role

    init(_ column: WarehouseColumn) {
        name = column.name
        let lower = column.name.lowercased()
        let type = column.type
        if lower == "id" || lower.hasSuffix("_id") {
            role = .identifier
        } else if type.contains("date") || type.contains("time") || lower.hasSuffix("_date") || lower.hasSuffix("_at") {
            role = .date
        } else if ["int", "real", "double", "float", "numeric", "decimal", "money"].contains(where: { type.contains($0) }) {
            role = .measure
        } else if ["name", "email", "description", "title", "comment", "notes"].contains(where: { lower == $0 || lower.hasSuffix("_" + $0) }) {
            role = .label
        } else {
            role = .category
        }
    }
}
