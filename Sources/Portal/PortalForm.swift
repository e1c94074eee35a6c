import HTTPKit
import Hummingbird
import Identity

/// An `application/x-www-form-urlencoded` body of at most 16 KiB, as browsers send forms.
struct PortalForm: Sendable {
    private let fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    static func read(_ request: Request) async throws -> PortalForm {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true,
            let buffer = try? await request.body.collect(upTo: 16 * 1024)
        else { return PortalForm(fields: [:]) }
        var fields: [String: String] = [:]
        for (name, value) in FormURLEncoding.pairs(Substring(String(buffer: buffer))) {
            if let name { fields[name] = value ?? "" }
        }
        return PortalForm(fields: fields)
    }
}
