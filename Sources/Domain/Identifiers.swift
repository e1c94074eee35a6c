/// Identifiers in the formats Keycloak clients expect.
public enum Identifiers {
    /// A lower-case random (version 4) UUID, as Keycloak prints ids.
    ///
    /// From `SystemRandomNumberGenerator` (getrandom(2)) rather than Foundation's `UUID()`, which on Linux opens, reads
    /// and closes /dev/urandom for every id: three system calls on every token issued.
    public static func uuid() -> String {
        var random = SystemRandomNumberGenerator()
        var bytes = withUnsafeBytes(of: (random.next() as UInt64, random.next() as UInt64)) { Array($0) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for group in [0..<4, 4..<6, 6..<8, 8..<10, 10..<16] {
            if group.lowerBound > 0 { text.append(UInt8(ascii: "-")) }
            Hex.append(bytes[group], to: &text)
        }
        return String(decoding: text, as: UTF8.self)
    }
}
