import Domain
import Foundation
import HTTPKit
import Identity

/// A chart for a result, drawn on the server as SVG (portal.md "Queries"): one number for a single value, bars for a
/// category and a measure, a line when the first column is a date or month; nil when the shape fits none (the table
/// alone then shows the rows). Readable without JavaScript; every label is escaped.
enum ChartRenderer {
    enum Kind: String {
        case number
        case bars
        case line
    }

    static let width = 640.0
    static let maximumPoints = 60

    static func kind(of result: ResultSet) -> Kind? {
        guard let first = result.rows.first else { return nil }
        if result.rows.count == 1 && first.count == 1 && first[0].number != nil { return .number }
        guard first.count >= 2, let measure = measureColumn(result), measure > 0 else { return nil }
        guard case .text(let label) = first[0] else { return nil }
        return label.prefix(32).wholeMatch(of: /\d{4}-\d{2}(-\d{2})?.*/) != nil ? .line : .bars
    }

    static func svg(for result: ResultSet, title: String) -> String? {
        guard let kind = kind(of: result) else { return nil }
        switch kind {
        case .number:
            let value = result.rows[0][0].number ?? 0
            return frame(height: 120, title: title, kind: kind) {
                "<text x=\"\(width / 2)\" y=\"75\" text-anchor=\"middle\" class=\"big\">\(format(value))</text>"
            }
        case .bars:
            let points = self.points(result)
            let barHeight = 22.0
            let height = Double(points.count) * (barHeight + 8) + 16
            let largest = max(points.map(\.value).max() ?? 1, 1e-9)
            return frame(height: height, title: title, kind: kind) {
                points.enumerated().map { index, point in
                    let y = 8 + Double(index) * (barHeight + 8)
                    let length = max(1, (width - 260) * max(point.value, 0) / largest)
                    return """
                        <text x="150" y="\(y + 16)" text-anchor="end" class="label">\(HTMLText.escape(String(point.label.prefix(24))))</text>\
                        <rect x="160" y="\(y)" width="\(round(length))" height="\(barHeight)" rx="3" class="bar"/>\
                        <text x="\(round(166 + length))" y="\(y + 16)" class="value">\(format(point.value))</text>
                        """
                }.joined()
            }
        case .line:
            let points = self.points(result)
            let height = 260.0
            let (low, high) = (min(points.map(\.value).min() ?? 0, 0), max(points.map(\.value).max() ?? 1, 1e-9))
            let step = points.count > 1 ? (width - 80) / Double(points.count - 1) : 0
            let coordinates = points.enumerated().map { index, point in
                (x: 60 + Double(index) * step, y: 20 + (height - 60) * (1 - (point.value - low) / (high - low)))
            }
            let path = coordinates.map { "\(round($0.x)),\(round($0.y))" }.joined(separator: " ")
            return frame(height: height, title: title, kind: kind) {
                """
                <line x1="60" y1="\(height - 40)" x2="\(width - 20)" y2="\(height - 40)" class="axis"/>\
                <text x="55" y="24" text-anchor="end" class="label">\(format(high))</text>\
                <text x="55" y="\(height - 40)" text-anchor="end" class="label">\(format(low))</text>\
                <polyline points="\(path)" class="line"/>\
                <text x="60" y="\(height - 18)" class="label">\(HTMLText.escape(points.first?.label ?? ""))</text>\
                <text x="\(width - 20)" y="\(height - 18)" text-anchor="end" class="label">\(HTMLText.escape(points.last?.label ?? ""))</text>
                """
            }
        }
    }

    private static func frame(height: Double, title: String, kind: Kind, _ body: () -> String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" class="chart \(kind.rawValue)" \
        aria-label="\(HTMLText.escape(title))"><title>\(HTMLText.escape(title))</title>\(body())</svg>
        """
    }

    /// The first numeric column after the first one.
    private static func measureColumn(_ result: ResultSet) -> Int? {
        guard let first = result.rows.first else { return nil }
        return first.indices.dropFirst().first { index in result.rows.allSatisfy { $0[index].number != nil || $0[index] == .null } }
    }

    private static func points(_ result: ResultSet) -> [(label: String, value: Double)] {
        guard let measure = measureColumn(result) else { return [] }
        return result.rows.prefix(maximumPoints).map { row in (row[0].label, row[measure].number ?? 0) }
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.2f", value)
    }
}

extension Cell {
    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }
}
