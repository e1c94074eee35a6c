import Crypto
import Domain
import ExtrasBase64
import Foundation
import JWTKit
import _CryptoExtras

/// One signing key in portable form: what storage seals and what a key ring is built from.
public struct KeyMaterial: Sendable, Equatable {
    /// RS256 or ES256, or HS256 for the realm-internal refresh-token key (never published).
    public var algorithm: KeyAlgorithm
    public var kid: String
    /// PEM for RS256/ES256, base64 bytes for HS256.
    public var privateKey: String
    /// Signs new tokens (active) or only verifies older ones (passive).
    public var isActive: Bool

    public init(algorithm: KeyAlgorithm, kid: String, privateKey: String, isActive: Bool) {
        self.algorithm = algorithm
        self.kid = kid
        self.privateKey = privateKey
        self.isActive = isActive
    }

    public static let refreshAlgorithm = KeyAlgorithm.hs256

    /// A fresh RSA-2048 or P-256 key whose `kid` is base64url(SHA-256(DER SubjectPublicKeyInfo)).
    public static func generate(_ algorithm: KeyAlgorithm) throws -> KeyMaterial {
        switch algorithm {
        case .rs256:
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            return KeyMaterial(algorithm: algorithm, kid: kid(spki: key.publicKey.derRepresentation), privateKey: key.pemRepresentation, isActive: true)
        case .es256:
            let key = P256.Signing.PrivateKey()
            return KeyMaterial(algorithm: algorithm, kid: kid(spki: key.publicKey.derRepresentation), privateKey: key.pemRepresentation, isActive: true)
        case .hs256:
            let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            return KeyMaterial(
                algorithm: algorithm, kid: "hs-" + Base64URL.encode(Data(SHA256.hash(data: secret)).prefix(12)),
                privateKey: secret.base64EncodedString(), isActive: true)
        }
    }

    static func kid(spki: Data) -> String { Base64URL.encode(Data(SHA256.hash(data: spki))) }
}

public enum KeyMaterialError: Error {
    case unsupportedAlgorithm(String)
    case unreadableKey
    case signingFailed
}

/// base64url without padding (RFC 7515 §2). Encoding is swift-extras-base64's (every token signed writes two
/// segments); decoding works on bytes, as Foundation's string replacing is slow on Linux and token verification decodes
/// two segments per request.
public enum Base64URL {
    public static func encode(_ data: some Collection<UInt8>) -> String {
        Base64.encodeToString(bytes: data, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    public static func decode(_ text: some StringProtocol) -> Data? {
        var bytes = Array(text.utf8)
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "-"): bytes[index] = UInt8(ascii: "+")
            case UInt8(ascii: "_"): bytes[index] = UInt8(ascii: "/")
            default: break
            }
        }
        while bytes.count % 4 != 0 { bytes.append(UInt8(ascii: "=")) }
        return Data(base64Encoded: Data(bytes))
    }
}
