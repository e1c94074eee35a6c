import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// One page of rows, as `GET /api/data/{view}` and `GET /api/query/{id}/data` return it (api.md): JSON
/// `{start, row_count, columns, next_start, data}` in that member order, or CSV with a header row when the client asks
/// for `text/csv`. Written by hand: this is the data route's hot path, and Foundation's encoder neither keeps member
/// order nor writes `null` for an absent `next_start`.
struct DataPage {
    let start: Int
    let rowCount: Int
    let columns: [String]
    let nextStart: Int?
    let data: [[Cell]]

    /// `start`/`limit` of the request (422 when out of range).
    struct Window {
        let start: Int
        let limit: Int

        static let maximumLimit = 10_000
        static let maximumStart = 100_000_000

        init(start: Int, limit: Int) {
            self.start = start
            self.limit = limit
        }

        init(_ request: Request) throws {
            let parameters = request.uri.queryParameters
            start = try Fields.integer(parameters["start"], name: "start", range: 0...Self.maximumStart, fallback: 0)
            limit = try Fields.integer(parameters["limit"], name: "limit", range: 1...Self.maximumLimit, fallback: 100)
        }
    }

    /// The page from a result fetched with one row more than asked (that extra row says another page follows).
    init(_ result: ResultSet, window: Window, columns: [String]) {
        let more = result.rows.count > window.limit
        let rows = more ? Array(result.rows.prefix(window.limit)) : result.rows
        start = window.start
        rowCount = rows.count
        self.columns = result.columns.isEmpty ? columns : result.columns
        nextStart = more ? window.start + window.limit : nil
        data = rows
    }

    /// The page as JSON, or CSV when the client asks for `text/csv`. A page of up to `wholeBytes` of values is written in
    /// one piece (with its length); a bigger one goes out in slices as it is written (`PageEncoder`). Either holds what
    /// it keeps in memory (the written page, or the rows) of `budget` until the client has it or is gone.
    func response(for request: Request, budget: PageBudget) async throws -> Response {
        let csv = request.headers[.accept]?.contains("text/csv") == true
        let headers: HTTPFields = [.contentType: csv ? "text/csv; charset=utf-8" : "application/json"]
        let size = valueBytes
        guard size > Self.wholeBytes else {
            var encoder = PageEncoder(capacity: 256 + size + data.count * columns.count * 4, sliced: false)
            if csv { try await encodeCSV(&encoder) { _ in } } else { try await encodeJSON(&encoder) { _ in } }
            let (page, reservation) = (encoder.buffer, try budget.reserve(encoder.buffer.readableBytes))
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(contentLength: page.readableBytes) { writer in
                    defer { withExtendedLifetime(reservation) {} }
                    try await writer.write(page)
                    try await writer.finish(nil)
                })
        }
        let (page, reservation) = (self, try budget.reserve(size))
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer { withExtendedLifetime(reservation) {} }
                var encoder = PageEncoder(capacity: PageEncoder.sliceBytes, sliced: true)
                if csv { try await page.encodeCSV(&encoder) { try await writer.write($0) } } else { try await page.encodeJSON(&encoder) { try await writer.write($0) } }
                try await writer.write(encoder.buffer)
                try await writer.finish(nil)
            })
    }

    /// Pages whose values hold at most this many bytes are answered in one piece.
    static let wholeBytes = 256 << 10

    /// About how many bytes the values hold (text as UTF-8, other values as a number's width).
    private var valueBytes: Int {
        var bytes = 0
        for row in data {
            for cell in row {
                if case .text(let value) = cell { bytes += value.utf8.count } else { bytes += 24 }
            }
        }
        return bytes
    }

    /// `{start, row_count, columns, next_start, data}`, in that member order.
    func encodeJSON(_ encoder: inout PageEncoder, _ flush: PageEncoder.Flush) async throws {
        encoder.write("{\"start\":\(start),\"row_count\":\(rowCount),\"columns\":[")
        for (index, column) in columns.enumerated() {
            if index > 0 { encoder.write(byte: UInt8(ascii: ",")) }
            try await encoder.writeJSONString(column, flush)
        }
        encoder.write("],\"next_start\":" + (nextStart.map(String.init) ?? "null") + ",\"data\":[")
        for (rowIndex, row) in data.enumerated() {
            encoder.write(rowIndex == 0 ? "[" : ",[")
            for (index, cell) in row.enumerated() {
                if index > 0 { encoder.write(byte: UInt8(ascii: ",")) }
                switch cell {
                case .null: encoder.write("null")
                case .integer(let value): encoder.write(String(value))
                case .real(let value): encoder.write(value.isFinite ? String(value) : "null")
                case .boolean(let value): encoder.write(value ? "true" : "false")
                case .text(let value): try await encoder.writeJSONString(value, flush)
                }
            }
            encoder.write(byte: UInt8(ascii: "]"))
            try await encoder.sliceIfFull(flush)
        }
        encoder.write("]}")
    }

    /// A header row of the column names, then one line per row, each ending in CRLF.
    func encodeCSV(_ encoder: inout PageEncoder, _ flush: PageEncoder.Flush) async throws {
        for (index, column) in columns.enumerated() {
            if index > 0 { encoder.write(byte: UInt8(ascii: ",")) }
            try await encoder.writeCSVField(Self.neutralized(column), flush)
        }
        encoder.write("\r\n")
        for row in data {
            for (index, cell) in row.enumerated() {
                if index > 0 { encoder.write(byte: UInt8(ascii: ",")) }
                try await encoder.writeCSVField(Self.csvText(cell), flush)
            }
            encoder.write("\r\n")
            try await encoder.sliceIfFull(flush)
        }
    }

    /// A cell as CSV text. Text that a spreadsheet would run as a formula is neutralised; numbers stay numbers.
    static func csvText(_ cell: Cell) -> String {
        if case .text(let value) = cell { return neutralized(value) }
        return cell.plainText
    }

    /// OWASP's CSV-injection advice: a value starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`, so
    /// Excel, LibreOffice and Google Sheets show it as text instead of evaluating it.
    static func neutralized(_ value: String) -> String {
        guard let first = value.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(first)
        else { return value }
        return "'" + value
    }
}

/// How warehouse failures reach API callers: the user's SQL failing is theirs to fix (422 with the database's
/// reason), as is a page over the byte cap (422 on `limit`); an unreachable warehouse is 503.
enum WarehouseFailure {
    static func run<T>(field: String, location: String = "query", _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as WarehouseError {
            // The words are the use case's (`WarehouseError: UseCaseError`); only where the refusal points is the route's.
            switch error {
            case .query: throw ValidationError(field: field, message: error.message, type: "value_error", location: location)
            case .tooLarge: throw ValidationError(field: "limit", message: error.message, type: "value_error", location: "query")
            case .unavailable: throw APIError.unavailable
            }
        }
    }
}

/// Query parameters as HTML forms and curl's `--data-urlencode` send them: `+` is a space (as Starlette reads them),
/// `%2B` a plus. Hummingbird's decoded parameters keep `+`, which would turn `a+b` filters into nonsense.
enum FormQuery {
    static func value(_ name: String, in request: Request) -> String? {
        guard let query = request.uri.query else { return nil }
        return FormURLEncoding.pairs(Substring(query)).first { $0.name == name }.map { $0.value ?? "" }
    }
}
