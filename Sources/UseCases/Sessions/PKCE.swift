import Crypto
import Foundation
import Secrets
import Storage
import Tokens

/// RFC 7636 §4.6: without a stored challenge no verifier is needed; with one, it must match (compared in constant time).
enum PKCE {
    static func check(challenge: String?, method: String?, verifier: String?) throws(SessionError) {
        guard let challenge else { return }
        guard let verifier, (43...128).contains(verifier.count) else { throw .verifierMissing }
        let computed = method == "plain" ? verifier : Base64URL.encode(Data(SHA256.hash(data: Array(verifier.utf8))))
        guard ConstantTime.equals(computed, challenge) else { throw .verifierMismatch }
    }
}
