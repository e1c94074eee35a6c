import Crypto
import Foundation

/// An RSA private key held by the system's libcrypto, signing RS256: PKCS #1 v1.5 over a SHA-256 digest. The
/// signature is deterministic, so it is byte for byte the one BoringSSL makes for the same key and input (a test
/// checks that).
///
/// Unchecked `Sendable`: the `EVP_PKEY` is never changed after loading, and OpenSSL 3 lets threads sign with one key at
/// once; each signature gets its own `EVP_PKEY_CTX`.
final class LibcryptoRSAKey: @unchecked Sendable {
    private let library: SystemLibcrypto
    private let key: OpaquePointer

    /// Loads a PKCS #1 or PKCS #8 DER private key; nil when libcrypto cannot read it as RSA.
    init?(der: [UInt8], library: SystemLibcrypto) {
        let loaded: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return library.loadPrivateKey(nil, &cursor, buffer.count)
        }
        guard let loaded else {
            library.clearErrors()
            return nil
        }
        guard library.keyType(loaded) == SystemLibcrypto.rsaKeyType else {
            library.freeKey(loaded)
            return nil
        }
        self.library = library
        self.key = loaded
    }

    deinit { library.freeKey(key) }

    func signature(for message: [UInt8]) throws -> [UInt8] {
        let digest = SHA256.hash(data: message)
        guard let context = library.newContext(key, nil) else { throw failure() }
        defer { library.freeContext(context) }
        guard library.signInit(context) == 1, library.setRSAPadding(context, SystemLibcrypto.pkcs1Padding) == 1,
            library.setSignatureDigest(context, library.sha256()) == 1
        else { throw failure() }
        // The key's own signature size (256 bytes for RSA-2048); OpenSSL checks the room it is given against it.
        return try [UInt8](unsafeUninitializedCapacity: max(Int(library.signatureSize(key)), 1)) { buffer, count in
            var length = buffer.count
            let signed = digest.withUnsafeBytes { bytes in
                library.sign(context, buffer.baseAddress, &length, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
            }
            guard signed == 1 else { throw failure() }
            count = length
        }
    }

    /// Empties libcrypto's per-thread error queue (so a later call on this thread does not report a stale error) and
    /// says only that signing failed.
    private func failure() -> KeyMaterialError {
        library.clearErrors()
        return .signingFailed
    }
}
