import Crypto
import Domain

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), with swift-crypto's HMAC: the code of a time step,
/// and which step within a window a presented code is. Codes are compared in constant time.
public enum TOTP {
    /// The RFC 4226 code of counter `step`: dynamic truncation of the HMAC, then the last `digits` decimal digits.
    public static func code(secret: [UInt8], step: Int, algorithm: OTPAlgorithm, digits: Int) -> String {
        var counter = UInt64(max(step, 0)).bigEndian
        let message = withUnsafeBytes(of: &counter) { Array($0) }
        let key = SymmetricKey(data: secret)
        let mac: [UInt8] =
            switch algorithm {
            case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
            case .sha256: Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            case .sha512: Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
            }
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The time step of epoch second `time`.
    public static func step(at time: Int, period: Int) -> Int { time / max(period, 1) }

    /// The step within `window` steps of now whose code `presented` is, or nil. Every candidate is computed and
    /// compared, so the time taken says nothing about which matched.
    public static func matchingStep(
        _ presented: String, secret: [UInt8], at time: Int, period: Int, window: Int, algorithm: OTPAlgorithm, digits: Int
    ) -> Int? {
        guard presented.utf8.count == digits, presented.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let now = step(at: time, period: period)
        var found: Int?
        for candidate in (now - window)...(now + window) {
            if ConstantTime.equals(code(secret: secret, step: candidate, algorithm: algorithm, digits: digits), presented), found == nil {
                found = candidate
            }
        }
        return found
    }

    /// A new secret: 20 random bytes (160 bits, RFC 4226's recommendation).
    public static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// RFC 4648 base32 without padding, as `otpauth://` URIs and authenticator apps take secrets.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var result = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                result.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { result.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return result
    }

    /// Decodes upper- or lower-case base32, ignoring spaces and padding; nil for anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        var buffer = 0
        var bits = 0
        for character in text.uppercased() where character != " " && character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                result.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return result
    }
}
