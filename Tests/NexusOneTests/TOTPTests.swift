import Domain
import Secrets
import Testing

/// RFC 6238's own test vectors (Appendix B) and RFC 4648's base32 vectors.
@Suite("One-time codes")
struct TOTPTests {
    @Test("RFC 6238 Appendix B: SHA-1, SHA-256 and SHA-512 at each listed time")
    func rfc6238() {
        let sha1 = Array("12345678901234567890".utf8)
        let sha256 = Array("12345678901234567890123456789012".utf8)
        let sha512 = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)
        let vectors: [(time: Int, sha1: String, sha256: String, sha512: String)] = [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ]
        for vector in vectors {
            let step = TOTP.step(at: vector.time, period: 30)
            #expect(TOTP.code(secret: sha1, step: step, algorithm: .sha1, digits: 8) == vector.sha1)
            #expect(TOTP.code(secret: sha256, step: step, algorithm: .sha256, digits: 8) == vector.sha256)
            #expect(TOTP.code(secret: sha512, step: step, algorithm: .sha512, digits: 8) == vector.sha512)
        }
    }

    @Test("a code is found within the window only, and only as digits of the right length")
    func window() {
        let secret = Array("12345678901234567890".utf8)
        let now = 1_111_111_111
        let step = TOTP.step(at: now, period: 30)
        let next = TOTP.code(secret: secret, step: step + 1, algorithm: .sha1, digits: 6)
        #expect(TOTP.matchingStep(next, secret: secret, at: now, period: 30, window: 1, algorithm: .sha1, digits: 6) == step + 1)
        #expect(TOTP.matchingStep(next, secret: secret, at: now, period: 30, window: 0, algorithm: .sha1, digits: 6) == nil)
        let later = TOTP.code(secret: secret, step: step + 2, algorithm: .sha1, digits: 6)
        #expect(TOTP.matchingStep(later, secret: secret, at: now, period: 30, window: 1, algorithm: .sha1, digits: 6) == nil)
        for bad in ["", "12345", "1234567", "12 456", "abcdef", "١٢٣٤٥٦"] {
            #expect(TOTP.matchingStep(bad, secret: secret, at: now, period: 30, window: 1, algorithm: .sha1, digits: 6) == nil)
        }
    }

    @Test("base32 as RFC 4648 section 10 spells it, without padding, and back")
    func base32() {
        let vectors = [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
            #expect(Base32.decode(encoded.lowercased() + "======") == Array(plain.utf8))
        }
        #expect(Base32.decode("MZXW1") == nil && Base32.decode("MZ!W6") == nil)
        #expect(TOTP.newSecret().count == 20 && TOTP.newSecret() != TOTP.newSecret())
    }
}
