import Crypto
import Foundation
import Tokens

/// 256 random bits, URL-safe: session cookies, `state`, PKCE verifiers.
enum RandomToken {
    static func make() -> String { Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }) }
}
