import Crypto
import Domain

/// SHA-256 in lower-case hex: how one-time codes and other bearer secrets are stored.
public enum TokenDigest {
    public static func sha256Hex(_ text: String) -> String {
        var text = text
        // Over the string's own bytes and the digest's raw bytes: the generic `Sequence` paths cost more than the hash.
        return text.withUTF8 { SHA256.hash(data: $0) }.withUnsafeBytes { Hex.encode($0) }
    }
}
