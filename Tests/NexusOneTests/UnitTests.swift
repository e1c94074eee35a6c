import Crypto
import Domain
import Foundation
import HTTPKit
import Identity
import Secrets
import Storage
import Testing
import Tokens

@testable import RealmEndpoints
@testable import UseCases

@Suite("Small rules")
struct UnitTests {
    @Test func formBodyRejectsRepeatedFieldsAndIgnoresEmptyOnes() throws {
        let form = try FormBody.parse("grant_type=password&username=&password=&scope=openid+profile")
        #expect(form["grant_type"] == "password")
        #expect(form["username"] == nil)
        #expect(form["scope"] == "openid profile")
        #expect(throws: OAuthError.self) { try FormBody.parse("a=1&a=2") }
        #expect(throws: OAuthError.self) { try FormBody.parse("a=%ZZ") }
        #expect(throws: OAuthError.self) { try FormBody.parse("a=%00") }
    }

    @Test func formURLDecodingRefusesBadEscapesAndNonUTF8() {
        #expect(FormURLEncoding.decode("plain") == "plain")
        #expect(FormURLEncoding.decode("a+b%2B%20c") == "a b+ c")
        #expect(FormURLEncoding.decode("%E2%82%ac") == "€")
        #expect(FormURLEncoding.decode("%C3") == nil)  // not UTF-8
        #expect(FormURLEncoding.decode("%4") == nil)
        #expect(FormURLEncoding.decode("%") == nil)
        #expect(FormURLEncoding.decode("%G0") == nil)
        #expect(FormURLEncoding.decode("") == "")
        #expect(FormURLEncoding.pairs("a=1&b=%ZZ&c") .map { [$0.name, $0.value] } == [["a", "1"], ["b", nil], ["c", ""]])
    }

    @Test func identifiersAreLowerCaseVersion4UUIDs() {
        let ids = (0..<1_000).map { _ in Identifiers.uuid() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(50) {
            let parsed = UUID(uuidString: id)
            #expect(parsed != nil && id == id.lowercased() && id.count == 36)
            #expect(Array(id)[14] == "4" && "89ab".contains(Array(id)[19]))
        }
    }

    @Test func grantedScopeIsSortedWithDefaults() throws {
        let plan = ClaimPlan.keycloakDefault
        #expect(try GrantedScope(requested: "profile", plan: plan).description == "email openid profile")
        #expect(try GrantedScope(requested: nil, plan: plan).description == "email openid profile")
        #expect(try GrantedScope(requested: "roles", plan: plan).description == "email openid profile", "roles does not show in a token's scope")
        #expect(try GrantedScope(requested: "openid", plan: plan).requestedOpenID)
        #expect(throws: OAuthError.self) { try GrantedScope(requested: "admin", plan: plan) }
    }

    @Test func constantTimeComparison() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(!ConstantTime.equals("", "a"))
    }

    @Test func secretBoxRoundTripsAndRejectsOtherKeys() throws {
        let box = SecretBox(key: SymmetricKey(size: .bits256))
        let sealed = try box.seal("client-secret")
        #expect(!sealed.contains("client-secret"))
        #expect(try box.open(sealed) == "client-secret")
        #expect(throws: (any Error).self) { try SecretBox(key: SymmetricKey(size: .bits256)).open(sealed) }
    }

    @Test func pkceChecksTheVerifier() throws {
        let verifier = String(repeating: "v", count: 43)
        let challenge = Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
        try PKCE.check(challenge: challenge, method: "S256", verifier: verifier)
        try PKCE.check(challenge: verifier, method: "plain", verifier: verifier)
        try PKCE.check(challenge: nil, method: nil, verifier: nil)
        #expect(throws: SessionError.verifierMissing) { try PKCE.check(challenge: challenge, method: "S256", verifier: nil) }
        #expect(throws: SessionError.verifierMismatch) {
            try PKCE.check(challenge: challenge, method: "S256", verifier: String(repeating: "w", count: 43))
        }
    }

    @Test func redirectMatchingIsExactOrTrailingWildcard() {
        let client = Client(id: "1", realm: "r", clientId: "c", redirectURIs: ["https://app.example/cb", "http://localhost:3000/*"], createdAt: 0)
        #expect(client.allowsRedirect(to: "https://app.example/cb"))
        #expect(!client.allowsRedirect(to: "https://app.example/cb2"))
        #expect(client.allowsRedirect(to: "http://localhost:3000/any/path"))
        #expect(!client.allowsRedirect(to: "http://localhost:3001/"))
    }

    @Test func kidIsTheSHA256OfTheSubjectPublicKeyInfo() throws {
        let key = try KeyMaterial.generate(.es256)
        let spki = try P256.Signing.PrivateKey(pemRepresentation: key.privateKey).publicKey.derRepresentation
        #expect(key.kid == Base64URL.encode(Data(SHA256.hash(data: spki))))
    }
}
