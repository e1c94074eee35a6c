/// Lower-case hexadecimal text of bytes: digests at rest, blobs in warehouse results, ids, JSON escapes.
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var hex = [UInt8]()
        hex.reserveCapacity(bytes.underestimatedCount * 2)
        append(bytes, to: &hex)
        return String(decoding: hex, as: UTF8.self)
    }

    /// The digits of `bytes` added to `text`, for callers that build one buffer (no string per part).
    public static func append(_ bytes: some Sequence<UInt8>, to text: inout [UInt8]) {
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
