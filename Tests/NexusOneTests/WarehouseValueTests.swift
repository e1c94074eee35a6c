import Domain
import Foundation
import NIOCore
import Testing

@testable import API
@testable import Warehouses

@Suite("Warehouse values on the wire")
struct WarehouseValueTests {
    /// PostgreSQL's binary numeric for a decimal text, as the server sends it.
    static func numeric(_ digits: [Int16], weight: Int16, negative: Bool = false, scale: Int16 = 2) -> ByteBuffer {
        var buffer = ByteBuffer()
        for value in [Int16(digits.count), weight, negative ? 0x4000 : 0, scale] + digits { buffer.writeInteger(value, endianness: .big) }
        return buffer
    }

    @Test("binary numeric becomes the nearest double")
    func numerics() {
        #expect(PostgresValues.double(numeric: Self.numeric([1661, 8200], weight: 0)) == 1661.82)
        #expect(PostgresValues.double(numeric: Self.numeric([332, 3979, 3100], weight: 1)) == 3_323_979.31)
        #expect(PostgresValues.double(numeric: Self.numeric([5], weight: 0, negative: true)) == -5)
        #expect(PostgresValues.double(numeric: Self.numeric([], weight: 0)) == 0)
        #expect(PostgresValues.double(numeric: Self.numeric([1], weight: 5)) == 1e20)
        #expect(PostgresValues.double(numeric: Self.numeric([1234, 5678, 9012, 3456, 7890], weight: 2)) == 123_456_789_012.3456789)
        #expect(PostgresValues.double(numeric: Self.numeric([1], weight: -2)) == 0.00000001)
    }

    @Test("binary dates and timestamps become ISO text")
    func dates() {
        func days(_ value: Int32) -> ByteBuffer { var buffer = ByteBuffer(); buffer.writeInteger(value, endianness: .big); return buffer }
        func micros(_ value: Int64) -> ByteBuffer { var buffer = ByteBuffer(); buffer.writeInteger(value, endianness: .big); return buffer }
        #expect(PostgresValues.text(date: days(0)) == "2000-01-01")
        #expect(PostgresValues.text(date: days(-10_957)) == "1970-01-01")
        #expect(PostgresValues.text(date: days(8_825)) == "2024-02-29")
        #expect(PostgresValues.text(date: days(-1)) == "1999-12-31")
        #expect(PostgresValues.text(timestamp: micros(0)) == "2000-01-01T00:00:00Z")
        #expect(PostgresValues.text(timestamp: micros(-1)) == "1999-12-31T23:59:59Z")
        #expect(PostgresValues.text(timestamp: micros(762_475_425_000_000)) == "2024-02-28T22:43:45Z")
    }

    @Test("a page's JSON keeps the member order, escapes what JSON needs and nothing else; CSV quotes what RFC 4180 needs")
    func pageJSON() async throws {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} unicode ✓ é"
        let page = DataPage(
            ResultSet(columns: ["a", "b"], rows: [[.text(text), .real(1.5)], [.null, .integer(-3)], [.boolean(true), .real(.infinity)]]),
            window: DataPage.Window(start: 0, limit: 2), columns: [])
        var encoder = PageEncoder(capacity: 1024, sliced: false)
        try await page.encodeJSON(&encoder) { _ in }
        let json = String(buffer: encoder.buffer)
        #expect(json.hasPrefix(#"{"start":0,"row_count":2,"columns":["a","b"],"next_start":2,"data":[["#))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let rows = try #require(parsed["data"] as? [[Any]])
        #expect(rows[0][0] as? String == text)
        #expect(rows[1][0] is NSNull)
        let quoted = DataPage(ResultSet(columns: ["x"], rows: [[.text("a,\"b\"")]]), window: DataPage.Window(start: 0, limit: 1), columns: [])
        var csv = PageEncoder(capacity: 64, sliced: false)
        try await quoted.encodeCSV(&csv) { _ in }
        #expect(String(buffer: csv.buffer) == "x\r\n\"a,\"\"b\"\"\"\r\n")
    }

    @Test("a page of megabytes of escaped text goes out in slices of about 64 KiB, each value cut too, and says the same")
    func slicedPage() async throws {
        let control = String(repeating: "\u{1}", count: 1 << 20)
        let page = DataPage(ResultSet(columns: ["v"], rows: [[.text(control)], [.text("end")]]), window: DataPage.Window(start: 0, limit: 2), columns: [])
        var encoder = PageEncoder(capacity: PageEncoder.sliceBytes, sliced: true)
        var slices: [Int] = []
        var whole = ByteBuffer()
        try await page.encodeJSON(&encoder) { slice in
            slices.append(slice.readableBytes)
            var slice = slice
            whole.writeBuffer(&slice)
        }
        var rest = encoder.buffer
        whole.writeBuffer(&rest)
        #expect(slices.count >= 48)  // 6 MiB of output, at most 128 KiB a slice
        #expect(slices.allSatisfy { $0 < PageEncoder.sliceBytes + 64 << 10 })
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(buffer: whole)) as? [String: Any])
        #expect((parsed["data"] as? [[String]])?.first?.first == control)
    }
}
