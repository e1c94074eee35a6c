import Crypto
import Domain
import Foundation
import JWTKit
import _CryptoExtras

/// Signs access and ID tokens with a realm's active key as compact JWS, on the token endpoint's hot path.
///
/// Why not jwt-kit's `JWTKeyCollection.sign`: every call hops onto its actor, encodes the same header again, and signs
/// RSA with BoringSSL only. Here the header segment is encoded once per key, the call stays on the caller's thread, and
/// RS256 signs through the system's OpenSSL 3 libcrypto when it is present (`SystemLibcrypto`). The header has
/// Keycloak's member order, `{"alg":…,"typ":"JWT","kid":…}`; jwt-kit still verifies every token.
struct CompactJWSSigner: Sendable {
    enum Key: Sendable {
        case rsaLibcrypto(LibcryptoRSAKey)
        case rsaBoringSSL(_RSA.Signing.PrivateKey)
        case ecdsaP256(P256.Signing.PrivateKey)
    }

    let key: Key
    /// base64url(header JSON) followed by ".".
    private let headerSegment: [UInt8]

    init(key: Key, algorithm: String, kid: String) {
        self.key = key
        var header = JSONObjectWriter(capacity: 128)
        header.string("alg", algorithm)
        header.string("typ", "JWT")
        header.string("kid", kid)
        self.headerSegment = Array(Base64URL.encode(header.finish()).utf8) + [UInt8(ascii: ".")]
    }

    /// RS256 through libcrypto when it loads, reads the key, and signs a test input exactly as BoringSSL does (PKCS #1
    /// v1.5 is deterministic: a system policy that refuses it, or a broken library, shows here rather than on the first
    /// token request); else BoringSSL.
    static func rsa(pem: String, kid: String, library: SystemLibcrypto? = SystemLibcrypto.shared) throws -> CompactJWSSigner {
        let boring = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        let fallback = CompactJWSSigner(key: .rsaBoringSSL(boring), algorithm: "RS256", kid: kid)
        guard let library, let key = LibcryptoRSAKey(der: Array(boring.derRepresentation), library: library) else { return fallback }
        let fast = CompactJWSSigner(key: .rsaLibcrypto(key), algorithm: "RS256", kid: kid)
        let probe = Array("nexusone libcrypto check".utf8)
        guard let signature = try? fast.signature(for: probe), signature == (try fallback.signature(for: probe)) else { return fallback }
        return fast
    }

    static func es256(pem: String, kid: String) throws -> CompactJWSSigner {
        CompactJWSSigner(key: .ecdsaP256(try P256.Signing.PrivateKey(pemRepresentation: pem)), algorithm: "ES256", kid: kid)
    }

    func sign(_ claims: some SignableClaims) throws -> String {
        let payload = claims.json
        var token = headerSegment
        // Header, payload in base64url, ".", and an RSA-2048 signature's 342 characters (ES256's 86 fit too).
        token.reserveCapacity(headerSegment.count + payload.count * 4 / 3 + 4 + 1 + 344)
        token.append(contentsOf: Base64URL.encode(payload).utf8)
        let signature = try signature(for: token)
        token.append(UInt8(ascii: "."))
        token.append(contentsOf: Base64URL.encode(signature).utf8)
        return String(decoding: token, as: UTF8.self)
    }

    /// The JWS signature of the signing input: PKCS #1 v1.5 for RS256, r‖s (64 bytes) for ES256 (RFC 7518 §3.3, §3.4).
    func signature(for signingInput: [UInt8]) throws -> [UInt8] {
        switch key {
        case .rsaLibcrypto(let key):
            return try key.signature(for: signingInput)
        case .rsaBoringSSL(let key):
            return Array(try key.signature(for: signingInput, padding: .insecurePKCS1v1_5).rawRepresentation)
        case .ecdsaP256(let key):
            return Array(try key.signature(for: signingInput).rawRepresentation)
        }
    }

    /// Which library signs: "openssl" or "boringssl" (RS256), "swift-crypto" (ES256).
    var library: String {
        switch key {
        case .rsaLibcrypto: "openssl"
        case .rsaBoringSSL: "boringssl"
        case .ecdsaP256: "swift-crypto"
        }
    }
}
