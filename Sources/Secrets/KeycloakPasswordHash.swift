import Crypto
import Foundation
import _CryptoExtras

/// Password hashes as Keycloak stores them, kept so imported users sign in with their existing passwords until their
/// first sign-in rehashes them with bcrypt. PBKDF2 is swift-crypto's (`KDF.Insecure.PBKDF2`); Argon2 is the
/// system's libargon2 (`SystemArgon2`), when installed.
public enum KeycloakPasswordHash {
    /// What became of one Keycloak password credential.
    public enum Imported: Sendable, Equatable {
        /// A hash this server verifies, in its stored form (`PasswordHashFormat`).
        case stored(String)
        /// An Argon2 hash on a machine without libargon2: the user must be given a new password.
        case needsReset
        /// A hash costlier to check than this server allows for one sign-in attempt (`Limits`): the user must be given
        /// a new password.
        case tooCostly(String)
        case unsupported(String)
    }

    /// `algorithm`, `iterations` and the additional parameters come from Keycloak's `credentialData`; `salt` and `value`
    /// (base64) from its `secretData`.
    public static func importing(
        algorithm: String, iterations: Int?, salt: String?, value: String, parameters: [String: [String]]
    ) -> Imported {
        switch algorithm {
        case "pbkdf2", "pbkdf2-sha256", "pbkdf2-sha512":
            guard let iterations, iterations >= 1, let salt, let saltBytes = Data(base64Encoded: salt), let key = Data(base64Encoded: value),
                (16...64).contains(key.count), let most = Limits.pbkdf2Iterations[algorithm]
            else { return .unsupported("malformed \(algorithm) credential") }
            guard iterations <= most else { return .tooCostly("\(algorithm) with \(iterations) iterations (at most \(most))") }
            return .stored("\(PasswordHashFormat.keycloakPrefix)\(algorithm)$\(iterations)$\(saltBytes.base64EncodedString())$\(key.base64EncodedString())")
        case "argon2":
            let memory = parameters["memory"]?.first.flatMap { Int($0) } ?? 7168
            if let iterations, iterations > 0, memory > 0,
                memory.multipliedReportingOverflow(by: iterations).overflow || memory * iterations > Limits.argon2MemoryPasses
            {
                return .tooCostly("argon2 with \(memory) KiB × \(iterations) passes (at most \(Limits.argon2MemoryPasses) KiB·passes)")
            }
            guard let salt, let saltBytes = Data(base64Encoded: salt), let key = Data(base64Encoded: value), let iterations,
                let encoded = SystemArgon2.encoded(
                    type: parameters["type"]?.first ?? "id", version: parameters["version"]?.first ?? "1.3", memory: memory, iterations: iterations,
                    parallelism: parameters["parallelism"]?.first.flatMap { Int($0) } ?? 1, salt: saltBytes, key: key)
            else { return .unsupported("malformed argon2 credential") }
            return SystemArgon2.isAvailable ? .stored(encoded) : .needsReset
        case "bcrypt":
            // What this server exports (and Keycloak's bcrypt extension stores): the whole bcrypt string as the value.
            guard value.hasPrefix("$2"), value.count == 60, let cost = Int(value.dropFirst(4).prefix(2)), cost >= 4 else {
                return .unsupported("malformed bcrypt credential")
            }
            guard Limits.bcryptCost.contains(cost) else { return .tooCostly("bcrypt of cost \(cost) (at most \(Limits.bcryptCost.upperBound))") }
            return .stored(value)
        default:
            return .unsupported("password hash algorithm \(algorithm)")
        }
    }

    /// A stored hash in Keycloak's terms, for `nexusone realm export`.
    public struct Exported: Sendable, Equatable {
        public var algorithm: String
        public var iterations: Int
        /// Base64, as Keycloak's `secretData` has them; a bcrypt hash carries its salt inside `value`.
        public var salt: String
        public var value: String
        public var parameters: [String: [String]]
    }

    /// The inverse of `importing`: PBKDF2 and Argon2 hashes come out as Keycloak stores them; bcrypt (ours) as
    /// algorithm `bcrypt` with the whole hash as the value, which this server and Keycloak's bcrypt extensions read.
    public static func exporting(_ hash: String) -> Exported? {
        if hash.hasPrefix(PasswordHashFormat.keycloakPrefix) {
            let parts = hash.dropFirst(PasswordHashFormat.keycloakPrefix.count).split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 4, let iterations = Int(parts[1]) else { return nil }
            return Exported(algorithm: String(parts[0]), iterations: iterations, salt: String(parts[2]), value: String(parts[3]), parameters: [:])
        }
        if hash.hasPrefix("$argon2") {
            // $argon2id$v=19$m=7168,t=5,p=1$<salt>$<key>
            let parts = hash.split(separator: "$")
            guard parts.count == 5, let version = ["v=16": "1.0", "v=19": "1.3"][String(parts[1])] else { return nil }
            var settings: [String: Int] = [:]
            for pair in parts[2].split(separator: ",") {
                let field = pair.split(separator: "=")
                if field.count == 2, let number = Int(field[1]) { settings[String(field[0])] = number }
            }
            guard let memory = settings["m"], let iterations = settings["t"], let parallelism = settings["p"],
                let salt = Data(unpaddedBase64: String(parts[3])), let key = Data(unpaddedBase64: String(parts[4]))
            else { return nil }
            return Exported(
                algorithm: "argon2", iterations: iterations, salt: salt.base64EncodedString(), value: key.base64EncodedString(),
                parameters: [
                    "type": [String(parts[0].dropFirst("argon2".count))], "version": [version], "memory": ["\(memory)"],
                    "parallelism": ["\(parallelism)"], "hashLength": ["\(key.count)"],
                ])
        }
        guard hash.hasPrefix("$2"), hash.count == 60, let cost = Int(hash.dropFirst(4).prefix(2)) else { return nil }
        return Exported(algorithm: "bcrypt", iterations: cost, salt: "", value: hash, parameters: [:])
    }

    /// What an imported hash may cost: every sign-in attempt for its user, by anyone, pays it before the rehash, so a
    /// file must not be able to make one attempt take seconds or gigabytes. The ceiling is what Keycloak 24+ itself
    /// pays per sign-in with each algorithm's default — about a third of a second of one core here (0.21 s for
    /// pbkdf2-sha512, 0.31 s for pbkdf2-sha256, 0.35 s for pbkdf2 with SHA-1; Argon2id's 7 MiB × 5 passes takes 0.04 s)
    /// — so users of a Keycloak export keep their passwords, and nothing costlier gets in (docs/decisions/0013).
    public enum Limits {
        public static let pbkdf2Iterations = ["pbkdf2": 1_300_000, "pbkdf2-sha256": 600_000, "pbkdf2-sha512": 210_000]
        /// Memory (KiB) × passes: 128 MiB·passes, about 0.15 s of one core (64 MiB × 2, 19 MiB × 6, 7 MiB × 18).
        public static let argon2MemoryPasses = 131_072
        public static let argon2MemoryKiB = 8...65_536
        public static let argon2Iterations = 1...10
        public static let argon2Parallelism = 1...4
        public static let bcryptCost = 4...12
    }

    /// Checks a password against a stored `$keycloak-pbkdf2…$` hash, comparing in constant time.
    static func verifyPBKDF2(_ password: String, stored: String) -> Bool {
        let parts = stored.dropFirst(PasswordHashFormat.keycloakPrefix.count).split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, let iterations = Int(parts[1]), iterations >= 1, iterations <= Limits.pbkdf2Iterations[String(parts[0])] ?? 0,
            let salt = Data(base64Encoded: String(parts[2])),
            let expected = Data(base64Encoded: String(parts[3]))
        else { return false }
        let function: KDF.Insecure.PBKDF2.HashFunction
        switch parts[0] {
        case "pbkdf2": function = .insecureSHA1
        case "pbkdf2-sha256": function = .sha256
        case "pbkdf2-sha512": function = .sha512
        default: return false
        }
        guard
            let derived = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Data(password.utf8), salt: salt, using: function, outputByteCount: expected.count, unsafeUncheckedRounds: iterations)
        else { return false }
        return derived == SymmetricKey(data: expected)
    }
}

extension Data {
    /// Base64 as Argon2's encoded form writes it, without `=` padding.
    fileprivate init?(unpaddedBase64 text: String) {
        self.init(base64Encoded: text + String(repeating: "=", count: (4 - text.count % 4) % 4))
    }
}
