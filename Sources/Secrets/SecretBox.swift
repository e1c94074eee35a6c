import Crypto
import Foundation

/// Seals secrets that must be readable again (client secrets, private signing keys) with AES-256-GCM under a key
/// kept outside the database, so a stolen database file yields no credential.
public struct SecretBox: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) { self.key = key }

    /// Loads the key from base64 text (`NEXUSONE_ENCRYPTION_KEY`), or from / into a 0600 file beside the database.
    public static func load(base64 configured: String?, file path: String) throws -> SecretBox {
        if let configured, !configured.isEmpty {
            guard let data = Data(base64Encoded: configured), data.count == 32 else { throw SecretBoxError.badKey }
            return SecretBox(key: SymmetricKey(data: data))
        }
        if let existing = FileManager.default.contents(atPath: path) {
            guard let data = Data(base64Encoded: existing.trimmingSpace), data.count == 32 else { throw SecretBoxError.badKey }
            return SecretBox(key: SymmetricKey(data: data))
        }
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SecretBoxError.cannotWriteKey(path)
        }
        return SecretBox(key: key)
    }

    /// base64(nonce ‖ ciphertext ‖ tag).
    public func seal(_ plaintext: String) throws -> String {
        try AES.GCM.seal(Data(plaintext.utf8), using: key).combined!.base64EncodedString()
    }

    /// `seal` in URL-safe base64 without padding, for links and cookies.
    public func sealForURL(_ plaintext: String) throws -> String {
        Self.urlText(try AES.GCM.seal(Data(plaintext.utf8), using: key).combined!)
    }

    /// Opens what `sealForURL` made, in that spelling only: any other spelling of the same bytes (standard alphabet,
    /// padding, other trailing bits) is refused, so a single-use ledger keyed by the text cannot be walked around.
    public func openFromURL(_ sealed: String) throws -> String {
        let base64 = sealed.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let padded = base64 + String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard !sealed.contains(where: { $0 == "+" || $0 == "/" || $0 == "=" }), let data = Data(base64Encoded: padded),
            Self.urlText(data) == sealed
        else { throw SecretBoxError.corrupt }
        return try open(padded)
    }

    private static func urlText(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw SecretBoxError.corrupt }
        let plaintext = try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key)
        guard let text = String(data: plaintext, encoding: .utf8) else { throw SecretBoxError.corrupt }
        return text
    }
}

public enum SecretBoxError: Error, CustomStringConvertible {
    case badKey
    case corrupt
    case cannotWriteKey(String)

    public var description: String {
        switch self {
        case .badKey: "the encryption key must be 32 bytes, base64-encoded"
        case .corrupt: "a sealed secret could not be opened (wrong encryption key?)"
        case .cannotWriteKey(let path): "cannot write the encryption key file \(path)"
        }
    }
}

extension Data {
    fileprivate var trimmingSpace: Data {
        Data((String(data: self, encoding: .utf8) ?? "").trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    }
}
