import Authentication
import Domain
import Foundation
import Hummingbird
import Warehouse

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

    func response(for request: Request) -> Response {
        guard request.headers[.accept]?.contains("text/csv") == true else {
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: json))
        }
        var text = columns.map { Self.csvField(Self.neutralized($0)) }.joined(separator: ",") + "\r\n"
        for row in data { text += row.map { Self.csvField(Self.csvText($0)) }.joined(separator: ",") + "\r\n" }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    var json: ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(256 + data.count * columns.count * 16)
        buffer.writeString("{\"start\":\(start),\"row_count\":\(rowCount),\"columns\":[")
        for (index, column) in columns.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            Self.writeQuoted(column, to: &buffer)
        }
        buffer.writeString("],\"next_start\":" + (nextStart.map(String.init) ?? "null") + ",\"data\":[")
        for (rowIndex, row) in data.enumerated() {
            buffer.writeString(rowIndex == 0 ? "[" : ",[")
            for (index, cell) in row.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                switch cell {
                case .null: buffer.writeStaticString("null")
                case .integer(let value): buffer.writeString(String(value))
                case .real(let value): buffer.writeString(value.isFinite ? String(value) : "null")
                case .boolean(let value): buffer.writeStaticString(value ? "true" : "false")
                case .text(let value): Self.writeQuoted(value, to: &buffer)
                }
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        }
        buffer.writeStaticString("]}")
        return buffer
    }

    /// A JSON string (RFC 8259 §7): quote, backslash and control characters escaped; other UTF-8 bytes as they are.
    static func writeQuoted(_ value: String, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            buffer.writeString(value)
        } else {
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case ..<0x20: buffer.writeString(String(format: "\\u%04x", byte))
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
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

    /// RFC 4180: quote fields holding a comma, quote or line break; double the quotes inside.
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// How warehouse failures reach API callers: the user's SQL failing is theirs to fix (422 with the database's
/// reason), as is a page over the byte cap (422 on `limit`); an unreachable warehouse is 503.
enum WarehouseFailure {
    static func run<T>(field: String, location: String = "query", _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch WarehouseError.query(let message) {
            throw ValidationError(field: field, message: "The warehouse refused the query: \(message)", type: "value_error", location: location)
        } catch WarehouseError.tooLarge(let limit) {
            throw ValidationError(field: "limit", message: WarehouseError.tooLarge(limit: limit).description, type: "value_error", location: "query")
        } catch WarehouseError.unavailable {
            throw APIError.unavailable
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
