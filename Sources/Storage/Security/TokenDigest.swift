import Crypto
import Domain

/// SHA-256 in lower-case hex: how one-time codes and other bearer secrets are stored.
public enum TokenDigest {
    public static func sha256Hex(_ text: String) -> String {
        Hex.encode(SHA256.hash(data: Array(text.utf8)))
    }
}
