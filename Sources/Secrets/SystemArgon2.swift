import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The system's Argon2 reference library (Debian's `libargon2-1`), loaded at run time so the server builds and runs
/// without it; then Argon2 hashes imported from Keycloak cannot be verified and their users get a required reset.
public enum SystemArgon2 {
    private typealias Verify = @convention(c) (UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32) -> Int32

    /// `argon2_verify` from `libargon2.so.1`, looked up once.
    private static let verifyFunction: Verify? = {
        #if canImport(Glibc)
        guard let library = dlopen("libargon2.so.1", RTLD_NOW | RTLD_LOCAL), let symbol = dlsym(library, "argon2_verify") else { return nil }
        return unsafeBitCast(symbol, to: Verify.self)
        #else
        return nil
        #endif
    }()

    public static var isAvailable: Bool { verifyFunction != nil }

    /// Argon2's encoded form (`$argon2id$v=19$m=7168,t=5,p=1$<salt>$<key>`, unpadded base64), which `argon2_verify`
    /// reads, from Keycloak's parameters. Nil for a type or version Argon2 does not have.
    static func encoded(type: String, version: String, memory: Int, iterations: Int, parallelism: Int, salt: Data, key: Data) -> String? {
        typealias Limits = KeycloakPasswordHash.Limits
        // libargon2's own minimums too (8-byte salt, 4-byte hash, 8 KiB per lane), so nothing stored is unverifiable.
        guard ["d", "i", "id"].contains(type), let versionNumber = ["1.0": 16, "1.3": 19][version], Limits.argon2MemoryKiB.contains(memory),
            memory >= 8 * parallelism, Limits.argon2Iterations.contains(iterations), Limits.argon2Parallelism.contains(parallelism),
            (8...64).contains(salt.count), (4...128).contains(key.count)
        else { return nil }
        func unpadded(_ data: Data) -> String { data.base64EncodedString().replacingOccurrences(of: "=", with: "") }
        return "$argon2\(type)$v=\(versionNumber)$m=\(memory),t=\(iterations),p=\(parallelism)$\(unpadded(salt))$\(unpadded(key))"
    }

    /// Checks a password against an encoded Argon2 hash; false when libargon2 is missing or the hash is malformed.
    static func verify(_ password: String, encoded: String) -> Bool {
        guard let verify = verifyFunction, withinLimits(encoded) else { return false }
        let type: Int32
        if encoded.hasPrefix("$argon2id$") { type = 2 } else if encoded.hasPrefix("$argon2i$") { type = 1 } else if encoded.hasPrefix("$argon2d$") { type = 0 } else { return false }
        let bytes = Array(password.utf8)
        return encoded.withCString { hash in bytes.withUnsafeBytes { buffer in verify(hash, buffer.baseAddress, bytes.count, type) == 0 } }
    }

    /// Whether the encoded hash's memory × passes is within `KeycloakPasswordHash.Limits` (hashes stored before the
    /// limit was lowered may not be).
    private static func withinLimits(_ encoded: String) -> Bool {
        let parts = encoded.split(separator: "$")
        guard parts.count == 5 else { return false }
        var settings: [Substring: Int] = [:]
        for pair in parts[2].split(separator: ",") {
            let field = pair.split(separator: "=")
            if field.count == 2 { settings[field[0]] = Int(field[1]) }
        }
        typealias Limits = KeycloakPasswordHash.Limits
        guard let memory = settings["m"], let passes = settings["t"], let lanes = settings["p"], Limits.argon2MemoryKiB.contains(memory),
            Limits.argon2Iterations.contains(passes), Limits.argon2Parallelism.contains(lanes)
        else { return false }
        return memory * passes <= Limits.argon2MemoryPasses
    }
}
