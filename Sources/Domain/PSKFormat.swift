/// The kinds of pre-shared key and their scanner-friendly prefixes (psk.md "Format").
public enum PSKKind: String, Sendable, Codable, CaseIterable {
    case personal
    case service
    case dataProduct = "data_product"

    public var prefix: String {
        switch self {
        case .personal: "nx1p_"
        case .service: "nx1s_"
        case .dataProduct: "nx1d_"
        }
    }
}

/// `nx1p_`/`nx1s_`/`nx1d_` + 32 base62 characters from a secure generator + 6 base62 characters of CRC32 over the rest.
///
/// The checksum lets the server refuse a mistyped or invented key without touching storage.
public enum PSKFormat {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    public static let bodyLength = 32
    public static let checksumLength = 6
    /// Every key is exactly this long: prefix (5) + body (32) + checksum (6).
    public static let length = 5 + bodyLength + checksumLength
    /// Longer header values are refused before any parsing (psk.md: "keys up to 255 characters are read").
    public static let maximumReadLength = 255

    /// A new key of the given kind (≈190 bits from `SystemRandomNumberGenerator`).
    public static func generate(_ kind: PSKKind) -> String {
        var generator = SystemRandomNumberGenerator()
        var text = Array(kind.prefix.utf8)
        for _ in 0..<bodyLength { text.append(alphabet.randomElement(using: &generator)!) }
        text.append(contentsOf: checksum(text))
        return String(decoding: text, as: UTF8.self)
    }

    /// The kind of a well-formed key with a correct checksum; nil for anything else. Reads no storage.
    public static func kind(of key: String) -> PSKKind? {
        let bytes = key.utf8
        guard bytes.count == length else { return nil }
        guard let kind = PSKKind.allCases.first(where: { bytes.starts(with: $0.prefix.utf8) }) else { return nil }
        let characters = Array(bytes)
        let payload = characters[..<(length - checksumLength)]
        guard payload.dropFirst(5).allSatisfy(isBase62) else { return nil }
        return checksum(payload).elementsEqual(characters[(length - checksumLength)...]) ? kind : nil
    }

    /// What may be shown of a key: its prefix and last four characters (`nx1p_…a1B2`).
    public static func hint(_ key: String) -> String {
        String(key.prefix(5)) + "…" + String(key.suffix(4))
    }

    static func checksum(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var value = CRC32.checksum(bytes)
        var digits = [UInt8](repeating: alphabet[0], count: checksumLength)
        for index in stride(from: checksumLength - 1, through: 0, by: -1) {
            digits[index] = alphabet[Int(value % 62)]
            value /= 62
        }
        return digits
    }

    static func isBase62(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}

/// CRC-32 (IEEE 802.3, the polynomial of zlib and PNG): a checksum against typos, not a cryptographic function.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
