import Crypto
import Foundation

/// 256 random bits, URL-safe: authorization codes, session cookies, `state`, PKCE verifiers.
public enum RandomToken {
    public static func make() -> String { Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }) }
}
