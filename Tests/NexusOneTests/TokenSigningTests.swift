import _CryptoExtras
import Crypto
import Domain
import Foundation
import JWTKit
import Testing

@testable import Tokens

/// RS256 through the system's libcrypto must be byte for byte what BoringSSL signs (PKCS #1 v1.5 is deterministic),
/// and every token the active-key signer makes must verify through jwt-kit, as clients verify it.
@Suite("Token signing")
struct TokenSigningTests {
    static let claims = AccessTokenClaims(
        TokenStamp(
            exp: 2_000_000_000, iat: 1_999_999_400, jti: "3f0c6a3e-5b7e-4bb0-9d5c-0b1b9a6c1e01", iss: "http://127.0.0.1:8080/realms/acme",
            sub: "7d1c1c3e-2a1b-4c1e-8f3a-1f2e3d4c5b6a", azp: "acme-client"),
        sessionId: nil, claims: mapped, scope: "email openid profile")

    static var mapped: ClaimSet {
        var claims = ClaimSet()
        claims.addAudience("account")
        (claims.realmRoles, claims.emailVerified, claims.preferredUsername, claims.acr) = (["nx1_ask"], false, "service-account-acme-client", "1")
        claims.set(["team", "name"], .string("data"))
        claims.set(["tier"], .int(3))
        return claims
    }

    @Test func systemLibcryptoLoadsOnThisMachine() throws {
        // CI machines have Debian's libssl3; without it the server still runs on BoringSSL, but this machine must not
        // silently lose the fast path.
        let chosen = ProcessInfo.processInfo.environment["NEXUSONE_RSA_SIGNER"]?.lowercased() == "boringssl" ? "boringssl" : "openssl"
        #expect((SystemLibcrypto.shared != nil) == (chosen == "openssl"))
        #expect(RSASigning.library == chosen)
    }

    @Test func libcryptoAndBoringSSLMakeTheSameRS256Signature() throws {
        let library = try #require(SystemLibcrypto.shared)
        let material = try KeyMaterial.generate(.rs256)
        let openssl = try CompactJWSSigner.rsa(pem: material.privateKey, kid: material.kid, library: library)
        let boring = try CompactJWSSigner.rsa(pem: material.privateKey, kid: material.kid, library: nil)
        #expect(openssl.library == "openssl")
        #expect(boring.library == "boringssl")
        for length in [0, 1, 55, 64, 1_000] {
            let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let signature = try openssl.signature(for: input)
            #expect(signature.count == 256)
            #expect(signature == (try boring.signature(for: input)))
        }
        #expect(try openssl.sign(Self.claims) == (try boring.sign(Self.claims)))
    }

    @Test(arguments: [KeyAlgorithm.rs256, .es256])
    func activeKeyTokensVerifyThroughJWTKit(algorithm: KeyAlgorithm) async throws {
        let material = try KeyMaterial.generate(algorithm)
        let ring = try await RealmKeyRing(realm: "acme", keys: [material, try KeyMaterial.generate(KeyMaterial.refreshAlgorithm)])
        let token = try ring.sign(Self.claims)
        #expect(try await ring.verify(token, as: AccessTokenClaims.self) == Self.claims)
        let header = try TokenHeader(token)
        #expect(header.alg == algorithm.rawValue && header.kid == material.kid && header.typ == "JWT")
        let headerJSON = try #require(Base64URL.decode(token.prefix { $0 != "." }))
        #expect(String(decoding: headerJSON, as: UTF8.self) == #"{"alg":"\#(algorithm.rawValue)","typ":"JWT","kid":"\#(material.kid)"}"#)

        // A flipped signature byte is refused.
        var bytes = Array(token.utf8)
        let last = bytes.count - 2
        bytes[last] = bytes[last] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        await #expect(throws: TokenError.badSignature) { try await ring.verify(String(decoding: bytes, as: UTF8.self), as: AccessTokenClaims.self) }
    }

    @Test func libcryptoRefusesAKeyThatIsNotRSA() throws {
        let library = try #require(SystemLibcrypto.shared)
        let p256 = P256.Signing.PrivateKey()
        #expect(LibcryptoRSAKey(der: Array(p256.derRepresentation), library: library) == nil)
        #expect(LibcryptoRSAKey(der: [0x30, 0x03, 0x02, 0x01], library: library) == nil)
        #expect(LibcryptoRSAKey(der: [], library: library) == nil)
    }

    @Test func claimsJSONReadsBackAsTheSameClaims() throws {
        var access = Self.claims
        access.aud = .many(["account", "nexusone"])
        access.sid = "s-1"
        access.resourceAccess = ["b-client": RoleList(roles: ["read"]), "a-client": RoleList(roles: ["write", "read"])]
        (access.clientId, access.clientHost, access.clientAddress) = ("acme-client", "127.0.0.1", "127.0.0.1")
        (access.name, access.givenName, access.familyName, access.email) = ("Ada \"Q\" Löwe\\", "Ada\n", "Löwe\u{1}", "ada@example.com")
        for claims in [Self.claims, access] {
            #expect(try JSONDecoder().decode(AccessTokenClaims.self, from: Data(claims.json)) == claims)
        }
        let json = String(decoding: access.json, as: UTF8.self)
        #expect(json.hasPrefix(#"{"exp":2000000000,"iat":1999999400,"jti":"#))
        #expect(json.contains(#""resource_access":{"a-client":{"roles":["write","read"]},"b-client":{"roles":["read"]}}"#))
        #expect(json.contains(#""name":"Ada \"Q\" Löwe\\","given_name":"Ada\n","family_name":"Löwe\u0001""#))
        #expect(!String(decoding: Self.claims.json, as: UTF8.self).contains("sid"))

        let id = IDTokenClaims(
            TokenStamp(exp: 2_000_000_000, iat: 1_999_999_400, jti: "j", iss: "http://127.0.0.1:8080/realms/acme", sub: "u", azp: "acme-client"),
            nonce: "n\u{7F}", sessionId: "s", atHash: "h", claims: Self.mapped)
        #expect(try JSONDecoder().decode(IDTokenClaims.self, from: Data(id.json)) == id)
    }
}
