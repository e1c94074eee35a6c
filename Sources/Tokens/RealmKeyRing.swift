import Crypto
import Domain
import Foundation
import JWTKit
import _CryptoExtras

/// A realm's keys, ready to sign and verify: the active asymmetric key signs access and ID tokens, passive ones still
/// verify, and a separate HMAC key (never published) signs refresh tokens, as Keycloak does.
///
/// Immutable: rotation builds a new ring, so the hot paths read it without locking.
public struct RealmKeyRing: Sendable {
    public let realm: String
    public let activeKid: String
    public let activeAlgorithm: KeyAlgorithm
    /// The JWKS published at `/certs`: every asymmetric key that may still verify a live token.
    public let jwks: JWKSDocument
    /// base64 DER SubjectPublicKeyInfo of the active key (the realm info endpoint's `public_key`).
    public let activePublicKey: String
    /// base64 DER SubjectPublicKeyInfo of every published key, by `kid` (the admin REST key list).
    public let publicKeys: [String: String]
    /// Which library signs with the active key ("openssl", "boringssl" or "swift-crypto"), for the startup log.
    public var signingLibrary: String { activeSigner.library }
    private let activeSigner: CompactJWSSigner
    private let asymmetric: JWTKeyCollection
    private let asymmetricAlgorithms: [String: String]
    private let refresh: JWTKeyCollection
    private let refreshKid: String
    private let refreshKids: Set<String>

    public init(realm: String, keys: [KeyMaterial]) async throws {
        let asymmetricKeys = keys.filter { $0.algorithm != KeyMaterial.refreshAlgorithm }
        let refreshKeys = keys.filter { $0.algorithm == KeyMaterial.refreshAlgorithm }
        guard let active = asymmetricKeys.first(where: \.isActive), let activeRefresh = refreshKeys.first(where: \.isActive) else {
            throw RealmKeyRingError.noActiveKey(realm)
        }
        let asymmetric = JWTKeyCollection()
        var jwks: [PublicJWK] = []
        var algorithms: [String: String] = [:]
        var activePublicKey = ""
        var publicKeys: [String: String] = [:]
        for key in asymmetricKeys {
            let (jwk, spki) = try await Self.add(key, to: asymmetric)
            jwks.append(jwk)
            publicKeys[key.kid] = spki.base64EncodedString()
            algorithms[key.kid] = key.algorithm.rawValue
            if key.kid == active.kid { activePublicKey = spki.base64EncodedString() }
        }
        let refresh = JWTKeyCollection()
        for key in refreshKeys {
            guard let secret = Data(base64Encoded: key.privateKey) else { throw KeyMaterialError.unreadableKey }
            await refresh.add(hmac: HMACKey(key: SymmetricKey(data: secret)), digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        }
        self.realm = realm
        self.activeKid = active.kid
        self.activeAlgorithm = active.algorithm
        self.jwks = JWKSDocument(keys: jwks)
        self.activePublicKey = activePublicKey
        self.publicKeys = publicKeys
        self.activeSigner =
            switch active.algorithm {
            case .rs256: try CompactJWSSigner.rsa(pem: active.privateKey, kid: active.kid)
            case .es256: try CompactJWSSigner.es256(pem: active.privateKey, kid: active.kid)
            case .hs256: throw KeyMaterialError.unsupportedAlgorithm(active.algorithm.rawValue)
            }
        self.asymmetric = asymmetric
        self.asymmetricAlgorithms = algorithms
        self.refresh = refresh
        self.refreshKid = activeRefresh.kid
        self.refreshKids = Set(refreshKeys.map(\.kid))
    }

    /// Signs an access or ID token with the active key, on the caller's thread (see `CompactJWSSigner`).
    public func sign(_ claims: some SignableClaims) throws -> String {
        try activeSigner.sign(claims)
    }

    /// Signs a refresh token with the realm-internal key.
    public func signRefresh(_ claims: RefreshTokenClaims) async throws -> String {
        try await refresh.sign(claims, kid: JWKIdentifier(string: refreshKid))
    }

    /// Checks the signature of an access or ID token. The header must name one of our asymmetric keys with its own
    /// algorithm, so `alg:none`, HMAC confusion and unknown `kid`s fail before any cryptography.
    public func verify<Claims: JWTPayload>(_ token: String, as _: Claims.Type = Claims.self) async throws -> Claims {
        let header = try TokenHeader(token)
        guard let kid = header.kid, let algorithm = asymmetricAlgorithms[kid] else { throw TokenError.unknownKey }
        guard header.alg == algorithm else { throw TokenError.wrongAlgorithm }
        do {
            return try await asymmetric.verify(token, as: Claims.self)
        } catch {
            throw TokenError.badSignature
        }
    }

    /// Checks the signature of a refresh token against the realm-internal key.
    public func verifyRefresh(_ token: String) async throws -> RefreshTokenClaims {
        let header = try TokenHeader(token)
        guard let kid = header.kid, refreshKids.contains(kid) else { throw TokenError.unknownKey }
        guard header.alg == KeyMaterial.refreshAlgorithm.rawValue else { throw TokenError.wrongAlgorithm }
        do {
            return try await refresh.verify(token, as: RefreshTokenClaims.self)
        } catch {
            throw TokenError.badSignature
        }
    }

    private static func add(_ key: KeyMaterial, to collection: JWTKeyCollection) async throws -> (PublicJWK, Data) {
        let kid = JWKIdentifier(string: key.kid)
        switch key.algorithm {
        case .rs256:
            let privateKey = try Insecure.RSA.PrivateKey(pem: key.privateKey)
            await collection.add(rsa: privateKey, digestAlgorithm: .sha256, kid: kid)
            let primitives = try privateKey.publicKey.getKeyPrimitives()
            let jwk = PublicJWK(
                kid: key.kid, kty: "RSA", alg: "RS256", n: Base64URL.encode(primitives.modulus), e: Base64URL.encode(primitives.publicExponent))
            return (jwk, privateKey.publicKey.derRepresentation)
        case .es256:
            let privateKey = try ES256PrivateKey(pem: key.privateKey)
            await collection.add(ecdsa: privateKey, kid: kid)
            guard let parameters = privateKey.parameters else { throw KeyMaterialError.unreadableKey }
            let jwk = PublicJWK(kid: key.kid, kty: "EC", alg: "ES256", crv: "P-256", x: parameters.x, y: parameters.y)
            return (jwk, try P256.Signing.PrivateKey(pemRepresentation: key.privateKey).publicKey.derRepresentation)
        case .hs256:
            throw KeyMaterialError.unsupportedAlgorithm(key.algorithm.rawValue)
        }
    }
}

public enum RealmKeyRingError: Error {
    case noActiveKey(String)
}

/// Why a token was refused. Only logs see these; responses say "Invalid token".
public enum TokenError: Error, Equatable {
    case malformed
    case unknownKey
    case wrongAlgorithm
    case badSignature
    case expired
    case notYetValid
    case wrongIssuer
    case wrongType
    case revoked
    /// A federated realm's token whose user cannot be (or is not allowed to be) the local user of that `sub`.
    case userNotUsable
}

/// The unverified JOSE header, read only to pick the key.
package struct TokenHeader: Decodable {
    package var alg: String?
    package var kid: String?
    package var typ: String?

    package init(_ token: String) throws {
        guard let dot = token.utf8.firstIndex(of: UInt8(ascii: ".")),
            let data = Base64URL.decode(token[..<dot]),
            let header = try? JSONDecoder().decode(TokenHeader.self, from: data)
        else { throw TokenError.malformed }
        self = header
    }
}
