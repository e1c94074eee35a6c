import NIOCore
import Synchronization

/// Reads the headers of PostgreSQL's messages (a type byte and a length) as their bytes arrive, before postgres-nio's
/// decoder buffers a message whole, and closes the connection when a message would be bigger than a warehouse answer
/// may be: a row bigger than a page (an array of NULLs is a 7.5 MB bitmap stored and 240 MB sent; a jsonb of numerics
/// 1.6 KB stored and 13 MB sent), an error or a notice quoting hundreds of megabytes of the user's making. Such a
/// message is never read, whatever type or encoding made it; the connection is closed instead, and `Verdict` says why.
final class MessageSizeGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Which message type ended the connection, if one did (0 while none has).
    final class Verdict: Sendable {
        private let refused = Atomic<UInt8>(0)

        var refusedType: UInt8? {
            let type = refused.load(ordering: .acquiring)
            return type == 0 ? nil : type
        }

        func refuse(_ type: UInt8) { refused.store(type, ordering: .releasing) }
    }

    /// A data row: a page's bytes, and room for each column's length word.
    static let dataRow = UInt8(ascii: "D")
    static let error = UInt8(ascii: "E")
    static let notice = UInt8(ascii: "N")

    private let verdict: Verdict
    private let rowBytes: Int
    private let messageBytes: Int
    private var header: [UInt8] = []
    /// Bytes of the current message's body still to come.
    private var remaining = 0

    /// `rowBytes` for data rows; `messageBytes` for every other message (errors and notices among them).
    init(verdict: Verdict, rowBytes: Int, messageBytes: Int) {
        self.verdict = verdict
        self.rowBytes = rowBytes
        self.messageBytes = messageBytes
        header.reserveCapacity(5)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).readableBytesView
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if remaining > 0 {
                let step = min(remaining, bytes.endIndex - index)
                remaining -= step
                index += step
                continue
            }
            header.append(bytes[index])
            index += 1
            guard header.count == 5 else { continue }
            let type = header[0]
            let length = header[1...4].reduce(0) { $0 << 8 | Int($1) }
            header.removeAll(keepingCapacity: true)
            guard length >= 4, length - 4 <= (type == Self.dataRow ? rowBytes : messageBytes) else {
                verdict.refuse(type)
                context.close(promise: nil)
                return
            }
            remaining = length - 4
        }
        context.fireChannelRead(data)
    }
}
