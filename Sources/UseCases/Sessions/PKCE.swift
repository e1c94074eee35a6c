import Crypto
import Foundation
import Secrets
import Tokens

/// RFC 7636: the `S256` challenge of a verifier, for a client (the portal) and for the server's check alike.
public enum PKCE {
    /// `BASE64URL(SHA256(verifier))` (§4.2).
    public static func challenge(for verifier: String) -> String { Base64URL.encode(Data(SHA256.hash(data: Array(verifier.utf8)))) }

    /// §4.6: without a stored challenge no verifier is needed; with one, it must match (compared in constant time).
    static func check(challenge: String?, method: String?, verifier: String?) throws(SessionError) {
        guard let challenge else { return }
        guard let verifier, (43...128).contains(verifier.count) else { throw .verifierMissing }
        let computed = method == "plain" ? verifier : Self.challenge(for: verifier)
        guard ConstantTime.equals(computed, challenge) else { throw .verifierMismatch }
    }
}
