import Domain
import NIOCore

/// Writes a page's JSON or CSV as bytes, handing the output over in slices of about 64 KiB. A page of megabytes of
/// escaped text (8 MiB of control characters become 48 MiB of JSON) then goes out piece by piece: between slices the
/// request's task lets other work run, and a client that hung up ends the work at the next slice, when the write
/// fails. Values are cut into slices too, so no single step escapes more than a slice's worth.
struct PageEncoder {
    /// Receives each full slice; the encoder carries on with an empty buffer.
    typealias Flush = (ByteBuffer) async throws -> Void

    static let sliceBytes = 64 << 10
    /// Input bytes escaped per step; at most six output bytes each.
    private static let stepBytes = 8 << 10

    private(set) var buffer: ByteBuffer
    /// The buffer's size when it is handed over: a slice, or never (a page small enough to answer in one piece).
    private let sliceBytes: Int

    init(capacity: Int, sliced: Bool) {
        buffer = ByteBufferAllocator().buffer(capacity: sliced ? Self.sliceBytes + 64 : capacity)
        sliceBytes = sliced ? Self.sliceBytes : .max
    }

    mutating func write(_ text: StaticString) { buffer.writeStaticString(text) }
    mutating func write(_ text: String) { buffer.writeString(text) }
    mutating func write(byte: UInt8) { buffer.writeInteger(byte) }

    /// Hands the buffer over once it holds a slice, then gives other tasks a turn.
    mutating func sliceIfFull(_ flush: Flush) async throws {
        guard buffer.readableBytes >= sliceBytes else { return }
        try await flush(buffer)
        buffer.clear()
        await Task.yield()
    }

    /// A JSON string (RFC 8259 §7): quote, backslash and control characters escaped; other UTF-8 bytes as they are.
    mutating func writeJSONString(_ value: String, _ flush: Flush) async throws {
        write(byte: UInt8(ascii: "\""))
        try await writeSliced(value, flush) { bytes, buffer in Self.escapeJSON(bytes, into: &buffer) }
        write(byte: UInt8(ascii: "\""))
    }

    /// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled inside.
    mutating func writeCSVField(_ value: String, _ flush: Flush) async throws {
        let quoted = value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard quoted else { return try await writeSliced(value, flush) { bytes, buffer in buffer.writeBytes(bytes) } }
        write(byte: UInt8(ascii: "\""))
        try await writeSliced(value, flush) { bytes, buffer in
            for byte in bytes {
                if byte == UInt8(ascii: "\"") { buffer.writeInteger(byte) }
                buffer.writeInteger(byte)
            }
        }
        write(byte: UInt8(ascii: "\""))
    }

    /// `value`'s UTF-8 in steps of `stepBytes`, each transformed into the buffer, slicing between steps.
    private mutating func writeSliced(
        _ value: String, _ flush: Flush, _ transform: (UnsafeRawBufferPointer, inout ByteBuffer) -> Void
    ) async throws {
        var value = value
        let count = value.utf8.count
        var offset = 0
        repeat {
            let end = min(offset + Self.stepBytes, count)
            value.withUTF8 { utf8 in transform(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[offset..<end])), &buffer) }
            offset = end
            try await sliceIfFull(flush)
        } while offset < count
    }

    /// Copies runs that need no escape whole; escapes the rest by table (`\n`, `\r`, `\t`, `\"`, `\\`, `\u00XX`).
    private static func escapeJSON(_ bytes: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        var start = 0
        for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            if start < index { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) }
            start = index + 1
            switch byte {
            case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            case 0x09: buffer.writeStaticString("\\t")
            default:
                buffer.writeStaticString("\\u00")
                buffer.writeInteger(hexDigits[Int(byte >> 4)])
                buffer.writeInteger(hexDigits[Int(byte & 0x0F)])
            }
        }
        if start < bytes.count { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start...])) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
