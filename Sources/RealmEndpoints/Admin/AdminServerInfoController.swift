import Domain
import Foundation
import HTTPKit
import Hummingbird
import UseCases

/// `GET /admin/serverinfo`: what tools read first — the Keycloak version whose admin REST this server answers as, and
/// ours — with what this server offers of the rest (password policies, protocol mapper types, themes). Only the parts
/// of Keycloak's `ServerInfoRepresentation` that say something true here are present.
struct AdminServerInfoController: Sendable {
    /// The Keycloak release whose admin REST and representations this server follows.
    static let keycloakVersion = "26.0.0"
    let version: String
    let startedAt = Date()

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get("serverinfo", use: show)
    }

    struct ServerInfo: Encodable {
        struct SystemInfo: Encodable {
            let version: String
            let nexusOneVersion: String
            let serverTime: String
            let uptimeMillis: Int
            let osName: String
            let userTimezone: String
        }

        /// The machine's memory and this process's resident share of it, in bytes.
        struct MemoryInfo: Encodable {
            let total: Int
            let used: Int
        }

        struct CPUInfo: Encodable {
            let processorCount: Int
        }

        struct PasswordPolicy: Encodable {
            let id: String
            let displayName: String
            let configType: String?
            let defaultValue: String?
            let multipleSupported: Bool
        }

        let systemInfo: SystemInfo
        let memoryInfo: MemoryInfo
        let cpuInfo: CPUInfo
        let passwordPolicies: [PasswordPolicy]
        let themes: [String: [[String: String]]]
    }

    /// Anyone who administers anything (the server administrator, or a realm's with any right), as in Keycloak.
    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        let actor = context.principal
        guard Administration.isServerAdmin(actor) || Administration.administersAnything(actor, realm: actor.realm) else { throw AdminError.forbidden }
        let process = ProcessInfo.processInfo
        let total = Int(clamping: process.physicalMemory)
        return JSONBody.response(
            ServerInfo(
                systemInfo: .init(
                    version: Self.keycloakVersion, nexusOneVersion: version, serverTime: Date().description,
                    uptimeMillis: Int(Date().timeIntervalSince(startedAt) * 1000), osName: process.operatingSystemVersionString,
                    userTimezone: TimeZone.current.identifier),
                memoryInfo: .init(total: total, used: Self.residentBytes()),
                cpuInfo: .init(processorCount: process.activeProcessorCount),
                passwordPolicies: Self.passwordPolicies,
                themes: ["login": [["name": "nexusone"]], "account": [["name": "nexusone"]]]))
    }

    /// The policies `PasswordPolicy` accepts, as Keycloak's console lists them.
    static let passwordPolicies: [ServerInfo.PasswordPolicy] = [
        .init(id: "length", displayName: "Minimum length", configType: "int", defaultValue: "8", multipleSupported: false),
        .init(id: "maxLength", displayName: "Maximum length", configType: "int", defaultValue: "64", multipleSupported: false),
        .init(id: "digits", displayName: "Digits", configType: "int", defaultValue: "1", multipleSupported: false),
        .init(id: "lowerCase", displayName: "Lowercase characters", configType: "int", defaultValue: "1", multipleSupported: false),
        .init(id: "upperCase", displayName: "Uppercase characters", configType: "int", defaultValue: "1", multipleSupported: false),
        .init(id: "specialChars", displayName: "Special characters", configType: "int", defaultValue: "1", multipleSupported: false),
        .init(id: "notUsername", displayName: "Not username", configType: nil, defaultValue: nil, multipleSupported: false),
        .init(id: "notContainsUsername", displayName: "Not contains username", configType: nil, defaultValue: nil, multipleSupported: false),
        .init(id: "notEmail", displayName: "Not email", configType: nil, defaultValue: nil, multipleSupported: false),
        .init(id: "passwordHistory", displayName: "Not recently used", configType: "int", defaultValue: "3", multipleSupported: false),
        .init(
            id: "forceExpiredPasswordChange", displayName: "Expire password", configType: "int", defaultValue: "365", multipleSupported: false),
    ]

    /// The process's resident memory, from `/proc/self/statm` (pages); 0 where there is none.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
