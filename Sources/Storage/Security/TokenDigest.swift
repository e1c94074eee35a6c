import Crypto

/// SHA-256 in lower-case hex: how one-time codes and other bearer secrets are stored.
public enum TokenDigest {
    public static func sha256Hex(_ text: String) -> String {
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
