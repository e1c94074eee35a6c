import Domain
import SQLKit

/// A statement for the warehouse, the most rows it may return and the tables it may read. The warehouse stops reading
/// at that count whatever the SQL says, so the page wrapper's `LIMIT` is not the only thing that holds the row cap.
public struct WarehouseStatement: Sendable {
    public let expression: any SQLExpression
    public let maximumRows: Int
    public let scope: TableScope

    public init(_ expression: any SQLExpression, maximumRows: Int, scope: TableScope) {
        self.expression = expression
        self.maximumRows = maximumRows
        self.scope = scope
    }
}

/// The statements the API runs against the warehouse. A view's SQL has passed `ReadOnlySQL` and is wrapped as a
/// subquery; filter values are bound parameters and column names go through the dialect's identifier quoting.
public enum WarehouseQuery {
    /// One page: `SELECT * FROM (<view>) AS nx1_view [WHERE …] [ORDER BY …] LIMIT <limit + 1> OFFSET <start>`.
    /// One row more than asked tells whether another page follows.
    public static func page(
        of view: String, filter: FilterExpression?, order: [OrderTerm], start: Int, limit: Int, kind: WarehouseKind, scope: TableScope
    ) -> WarehouseStatement {
        WarehouseStatement(
            PageStatement(view: view, filter: filter.map { FilterSQL(expression: $0, kind: kind) }, order: order, start: start, limit: limit),
            maximumRows: limit + 1, scope: scope)
    }

    /// A statement that yields exactly one row whose columns, after the first, are the view's — even when the view is
    /// empty, so the column list is known before any filter is parsed.
    public static func probe(of view: String, scope: TableScope) -> WarehouseStatement {
        WarehouseStatement(
            SQLRaw("SELECT * FROM (SELECT 1 AS nx1_probe) AS nx1_one LEFT JOIN (\n\(view)\n) AS nx1_view ON 1 = 1 LIMIT 1"), maximumRows: 1,
            scope: scope)
    }

    /// The view's column names (the probe's columns without its own).
    public static func columns(of view: String, in warehouse: any Warehouse, scope: TableScope) async throws -> [String] {
        Array(try await warehouse.select(probe(of: view, scope: scope)).columns.dropFirst())
    }
}

struct PageStatement: SQLExpression {
    let view: String
    let filter: FilterSQL?
    let order: [OrderTerm]
    let start: Int
    let limit: Int

    func serialize(to serializer: inout SQLSerializer) {
        // Line breaks around the view keep a trailing `-- comment` in it from swallowing the wrapper.
        serializer.write("SELECT * FROM (\n")
        serializer.write(view)
        serializer.write("\n) AS nx1_view")
        if let filter {
            serializer.write(" WHERE ")
            filter.serialize(to: &serializer)
        }
        for (offset, term) in order.enumerated() {
            serializer.write(offset == 0 ? " ORDER BY " : ", ")
            SQLIdentifier(term.column).serialize(to: &serializer)
            serializer.write(term.descending ? " DESC" : " ASC")
        }
        serializer.write(" LIMIT \(limit + 1) OFFSET \(start)")
    }
}

/// A filter as SQL. On PostgreSQL a column compared with text is cast to text, so `order_date >= '2024-01-01'` works on
/// a `date` column as it does on SQLite (ISO dates compare correctly as text).
struct FilterSQL: SQLExpression {
    let expression: FilterExpression
    let kind: WarehouseKind

    func serialize(to serializer: inout SQLSerializer) {
        switch expression {
        case .and(let left, let right): group(left, "AND", right, &serializer)
        case .or(let left, let right): group(left, "OR", right, &serializer)
        case .compare(let column, let op, let value):
            self.column(column, textual: value.isText, &serializer)
            serializer.write(" \(op.rawValue) ")
            bind(value, &serializer)
        case .like(let column, let pattern):
            self.column(column, textual: true, &serializer)
            serializer.write(" LIKE ")
            SQLBind(pattern).serialize(to: &serializer)
        case .isIn(let column, let values):
            self.column(column, textual: values.allSatisfy(\.isText), &serializer)
            serializer.write(" IN (")
            for (offset, value) in values.enumerated() {
                if offset > 0 { serializer.write(", ") }
                bind(value, &serializer)
            }
            serializer.write(")")
        case .isNull(let column, let negated):
            SQLIdentifier(column).serialize(to: &serializer)
            serializer.write(negated ? " IS NOT NULL" : " IS NULL")
        }
    }

    private func group(_ left: FilterExpression, _ joiner: String, _ right: FilterExpression, _ serializer: inout SQLSerializer) {
        serializer.write("(")
        FilterSQL(expression: left, kind: kind).serialize(to: &serializer)
        serializer.write(" \(joiner) ")
        FilterSQL(expression: right, kind: kind).serialize(to: &serializer)
        serializer.write(")")
    }

    private func column(_ name: String, textual: Bool, _ serializer: inout SQLSerializer) {
        guard textual && kind == .postgres else { return SQLIdentifier(name).serialize(to: &serializer) }
        serializer.write("CAST(")
        SQLIdentifier(name).serialize(to: &serializer)
        serializer.write(" AS TEXT)")
    }

    private func bind(_ value: FilterValue, _ serializer: inout SQLSerializer) {
        switch value {
        case .text(let text): SQLBind(text).serialize(to: &serializer)
        case .integer(let integer): SQLBind(integer).serialize(to: &serializer)
        case .real(let real): SQLBind(real).serialize(to: &serializer)
        case .boolean(let boolean): SQLBind(boolean).serialize(to: &serializer)
        }
    }
}

extension FilterValue {
    var isText: Bool { if case .text = self { true } else { false } }
}
