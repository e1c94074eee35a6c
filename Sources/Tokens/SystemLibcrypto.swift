#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The system's OpenSSL 3 libcrypto, loaded at run time, for RSA signatures only.
///
/// Why: on x86-64, OpenSSL 3's RSA-2048 private-key operation runs about 2.5 times as fast as BoringSSL's (it has
/// AVX-512 and ADX code paths that BoringSSL lacks), and RSA signing is nearly all of an RS256 token's cost. Loaded
/// with `dlopen` rather than linked so that a machine without libcrypto still builds and runs; BoringSSL (through
/// swift-crypto) signs there. `NEXUSONE_RSA_SIGNER=boringssl` chooses BoringSSL even when libcrypto is present.
///
/// Only the calls below are used: load a DER private key, and sign a SHA-256 digest with PKCS #1 v1.5 padding. The
/// digest comes from swift-crypto; no cryptography is written here.
struct SystemLibcrypto: @unchecked Sendable {  // C function pointers and an immutable table of them
    typealias LoadKey = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, Int) -> OpaquePointer?
    typealias FreeKey = @convention(c) (OpaquePointer?) -> Void
    typealias NewContext = @convention(c) (OpaquePointer?, OpaquePointer?) -> OpaquePointer?
    typealias FreeContext = @convention(c) (OpaquePointer?) -> Void
    typealias ContextCall = @convention(c) (OpaquePointer?) -> Int32
    typealias SetPadding = @convention(c) (OpaquePointer?, Int32) -> Int32
    typealias SetDigest = @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32
    typealias Digest = @convention(c) () -> OpaquePointer?
    typealias Sign = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?, UnsafePointer<UInt8>?, Int) -> Int32
    typealias KeyQuery = @convention(c) (OpaquePointer?) -> Int32
    typealias ClearErrors = @convention(c) () -> Void
    typealias VersionNumber = @convention(c) () -> UInt

    let loadPrivateKey: LoadKey  // d2i_AutoPrivateKey: PKCS #1 or PKCS #8 DER
    let freeKey: FreeKey
    let newContext: NewContext
    let freeContext: FreeContext
    let signInit: ContextCall
    let setRSAPadding: SetPadding
    let setSignatureDigest: SetDigest
    let sha256: Digest
    let sign: Sign
    let keyType: KeyQuery
    let signatureSize: KeyQuery
    let clearErrors: ClearErrors

    /// `RSA_PKCS1_PADDING` and `EVP_PKEY_RSA` from OpenSSL's headers (stable ABI values).
    static let pkcs1Padding: Int32 = 1
    static let rsaKeyType: Int32 = 6

    /// The loaded library, or nil when it is absent, older than 3.0, or turned off by `NEXUSONE_RSA_SIGNER=boringssl`.
    static let shared: SystemLibcrypto? = {
        if ProcessInfo.processInfo.environment["NEXUSONE_RSA_SIGNER"]?.lowercased() == "boringssl" { return nil }
        return load()
    }()

    private static func load() -> SystemLibcrypto? {
        // The handle is never closed: the functions stay in use for the life of the process.
        guard let handle = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libcrypto.3.dylib", RTLD_NOW | RTLD_LOCAL) else { return nil }
        func symbol<Function>(_ name: String, as _: Function.Type) -> Function? {
            dlsym(handle, name).map { unsafeBitCast($0, to: Function.self) }
        }
        guard let version = symbol("OpenSSL_version_num", as: VersionNumber.self), version() >= 0x3000_0000,
            let loadPrivateKey = symbol("d2i_AutoPrivateKey", as: LoadKey.self),
            let freeKey = symbol("EVP_PKEY_free", as: FreeKey.self),
            let newContext = symbol("EVP_PKEY_CTX_new", as: NewContext.self),
            let freeContext = symbol("EVP_PKEY_CTX_free", as: FreeContext.self),
            let signInit = symbol("EVP_PKEY_sign_init", as: ContextCall.self),
            let setRSAPadding = symbol("EVP_PKEY_CTX_set_rsa_padding", as: SetPadding.self),
            let setSignatureDigest = symbol("EVP_PKEY_CTX_set_signature_md", as: SetDigest.self),
            let sha256 = symbol("EVP_sha256", as: Digest.self),
            let sign = symbol("EVP_PKEY_sign", as: Sign.self),
            let keyType = symbol("EVP_PKEY_get_base_id", as: KeyQuery.self),
            let signatureSize = symbol("EVP_PKEY_get_size", as: KeyQuery.self),
            let clearErrors = symbol("ERR_clear_error", as: ClearErrors.self)
        else { return nil }
        return SystemLibcrypto(
            loadPrivateKey: loadPrivateKey, freeKey: freeKey, newContext: newContext, freeContext: freeContext, signInit: signInit,
            setRSAPadding: setRSAPadding, setSignatureDigest: setSignatureDigest, sha256: sha256, sign: sign, keyType: keyType, signatureSize: signatureSize,
            clearErrors: clearErrors)
    }
}

/// Whether the system's libcrypto is loaded for RS256 ("openssl") or BoringSSL signs ("boringssl"). A key whose
/// libcrypto signature does not equal BoringSSL's is still signed by BoringSSL (`CompactJWSSigner.rsa`).
public enum RSASigning {
    public static var library: String { SystemLibcrypto.shared == nil ? "boringssl" : "openssl" }
}
