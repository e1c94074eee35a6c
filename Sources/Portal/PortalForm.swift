import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body of at most 16 KiB, as browsers send forms.
struct PortalForm: Sendable {
    private let fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    static func read(_ request: Request) async throws -> PortalForm {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true,
            let buffer = try? await request.body.collect(upTo: 16 * 1024)
        else { return PortalForm(fields: [:]) }
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return PortalForm(fields: fields)
    }

    private static func decode(_ text: Substring) -> String? { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
}
