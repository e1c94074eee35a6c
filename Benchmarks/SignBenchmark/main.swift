import Domain
import Foundation
import Tokens

/// Signs access tokens through `RealmKeyRing` (the server's own path: OpenSSL's libcrypto or BoringSSL for RS256,
/// swift-crypto for ES256) on as many tasks as there are cores for a few seconds, and prints `ALG signs/s library` — the
/// in-process ceiling `run.sh` compares the endpoint with.
@main
struct SignBenchmark {
    static func main() async throws {
        let seconds = Double(CommandLine.arguments.dropFirst().first ?? "3") ?? 3
        let workers = ProcessInfo.processInfo.activeProcessorCount
        for algorithm in [KeyAlgorithm.rs256, .es256] {
            let ring = try await RealmKeyRing(
                realm: "bench", keys: [try KeyMaterial.generate(algorithm), try KeyMaterial.generate(KeyMaterial.refreshAlgorithm)])
            let claims = AccessTokenClaims(
                exp: 2_000_000_000, iat: 1_999_999_400, jti: UUID().uuidString, iss: "http://127.0.0.1:8080/realms/bench", aud: .one("account"),
                sub: UUID().uuidString, typ: "Bearer", azp: "bench-client", acr: "1", realmAccess: RoleList(roles: ["nx1_ask", "nx1_engineer"]),
                scope: "email openid profile", emailVerified: false, preferredUsername: "service-account-bench-client")
            let deadline = ContinuousClock.now + .seconds(seconds)
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<workers {
                    group.addTask {
                        var count = 0
                        while ContinuousClock.now < deadline {
                            _ = try ring.sign(claims)
                            count += 1
                        }
                        return count
                    }
                }
                var total = 0
                for try await count in group { total += count }
                return total
            }
            print("\(algorithm.rawValue) \(Int(Double(total) / seconds)) \(ring.signingLibrary)")
        }
    }
}
