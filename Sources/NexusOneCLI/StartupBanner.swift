import Foundation
import Server
import UseCases

/// What `serve` prints on standard output: the URLs every time, and on the first start the credentials, once.
enum StartupBanner {
    static func print(_ report: StartupReport, configuration: Configuration) {
        let base = configuration.resolvedPublicURL
        var lines = ["NexusOne \(NexusOneVersion.current) is listening on \(base)"]
        if let realm = report.defaultRealm {
            lines.append("  Home:       \(base)/")
            lines.append("  Token URL:  \(base)/realms/\(realm)/protocol/openid-connect/token")
        }
        lines.append("  API docs:   \(base)/docs")
        if let password = report.masterAdminPassword {
            lines.append("")
            lines.append("Server administrator (realm master), shown once:  admin / \(password)")
        }
        if let deployment = report.deployment {
            lines.append("")
            lines.append(contentsOf: DeploymentText.lines(deployment, baseURL: base))
        }
        // Written unbuffered: standard output may be a pipe or a file, and the banner must be there before the first request.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

/// The human-readable account of a deployment, with the ready-to-paste curl command of the NexusOne docs.
enum DeploymentText {
    static func lines(_ result: DeploymentResult, baseURL: String) -> [String] {
        var lines = ["Deployment \(result.realm)\(result.createdRealm ? " (new)" : ""):"]
        lines.append("  Realm:         \(result.realm)")
        lines.append("  Token URL:     \(baseURL)/realms/\(result.realm)/protocol/openid-connect/token")
        lines.append("  Client ID:     \(result.clientId)")
        lines.append("  Client secret: \(result.clientSecret ?? "(unchanged; not shown again — use --rotate-secret for a new one)")")
        if let psk = result.psk { lines.append("  PSK:           \(psk)") }
        if let password = result.adminPassword {
            lines.append("  Administrator: \(result.adminUsername) / \(password)  (one-time password; change it at first login)")
        } else {
            lines.append("  Administrator: \(result.adminUsername)")
        }
        if let secret = result.clientSecret {
            lines.append("")
            lines.append("Get a token:")
            lines.append("  client_name=\(result.realm)")
            lines.append(
                "  curl -sX POST \"\(baseURL)/realms/$client_name/protocol/openid-connect/token\" -d grant_type=client_credentials -d scope=profile -d client_id=\(result.clientId) -d client_secret=\(secret) | jq"
            )
        }
        if let psk = result.psk {
            lines.append("")
            lines.append("Or call the API with the deployment PSK:")
            lines.append("  curl -s \(baseURL)/api/user/me -H \"Authorization-PSK: \(psk)\"")
        }
        return lines
    }
}
