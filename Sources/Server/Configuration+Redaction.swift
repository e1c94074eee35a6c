import Foundation

/// Configuration as logs, `print` and `dump` show it: passwords, keys and tokens never, URLs without their password.
/// (ServiceLifecycle logs every service at debug level, and services hold the configuration.)
extension Configuration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        let fields = customMirror.children.map { "\($0.label ?? ""): \($0.value)" }
        return "Configuration(\(fields.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "dataDirectory": dataDirectory,
                "databaseURL": databaseURL.map(Self.withoutPassword) ?? "default",
                "warehouseURL": warehouseURL.map(Self.withoutPassword) ?? "default", "publicURL": publicURL ?? "default",
                "adminPassword": Self.redacted(adminPassword), "defaultRealm": defaultRealm ?? "default",
                "tlsCertificatePath": tlsCertificatePath ?? "none", "tlsKeyPath": tlsKeyPath ?? "none", "logLevel": logLevel,
                "logFormat": logFormat.rawValue, "encryptionKey": Self.redacted(encryptionKey), "metricsToken": Self.redacted(metricsToken),
                "noDemo": noDemo, "authFailureLimit": authFailureLimit, "benchmarkBaselinePSK": Self.redacted(benchmarkBaselinePSK),
            ],
            displayStyle: .struct)
    }

    static func redacted(_ secret: String?) -> String { secret == nil ? "none" : "<redacted>" }

    /// `postgres://user:secret@host/db` → `postgres://user:<redacted>@host/db`; anything else as it is.
    public static func withoutPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "redacted"
        return components.string ?? "<redacted URL>"
    }
}
