import Foundation
import HTTPKit
import Hummingbird
import Identity
import Yams

/// `GET /openapi.json`, converted at start-up from `openapi.yaml` (the single source of the document), and `GET /docs`.
public struct OpenAPIController: Sendable {
    let document: ByteBuffer
    let docsPage: String

    /// Loads the bundled document and points its `servers` at this server's public URL.
    public init(publicURL: String) throws {
        var json = try Self.loadDocument()
        json["servers"] = [["url": publicURL]]
        document = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes]))
        docsPage = Self.renderDocs(json)
    }

    /// The document as JSON-compatible values.
    public static func loadDocument() throws -> [String: Any] {
        let url = Bundle.module.bundleURL.appendingPathComponent("Resources/openapi.yaml")
        guard let yaml = try Yams.load(yaml: String(contentsOf: url, encoding: .utf8)) as? [String: Any] else { throw OpenAPIError.missingDocument }
        return yaml
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        let document = self.document
        let docsPage = self.docsPage
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: document))
        }
        router.get("docs") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'none'; style-src 'self'"],
                body: .init(byteBuffer: ByteBuffer(string: docsPage)))
        }
    }

    /// A dependency-free reference page: every operation with its summary (no third-party or inline script).
    static func renderDocs(_ json: [String: Any]) -> String {
        let paths = (json["paths"] as? [String: Any]) ?? [:]
        var rows = ""
        for path in paths.keys.sorted() {
            let operations = (paths[path] as? [String: Any]) ?? [:]
            for method in ["get", "post", "put", "delete"] {
                guard let operation = operations[method] as? [String: Any] else { continue }
                let summary = (operation["summary"] as? String) ?? ""
                rows += "<tr><td><code>\(method.uppercased())</code></td><td><code>\(HTMLText.escape(path))</code></td><td>\(HTMLText.escape(summary))</td></tr>"
            }
        }
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\
            <title>NexusOne API</title><link rel="stylesheet" href="/resources/login.css"></head><body><main class="card">\
            <h1>NexusOne API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Authenticate with \
            <code>Authorization: Bearer &lt;token&gt;</code> or <code>Authorization-PSK: &lt;key&gt;</code>.</p>\
            <table><thead><tr><th>Method</th><th>Path</th><th>Summary</th></tr></thead><tbody>\(rows)</tbody></table></main></body></html>
            """
    }
}

enum OpenAPIError: Error {
    case missingDocument
}
