import Crypto

/// SHA-256 in lower-case hex: how one-time codes and other bearer secrets are stored.
public enum TokenDigest {
    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
