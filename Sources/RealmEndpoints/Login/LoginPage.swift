import Foundation
import HTTPKit
import HTTPTypes
import Hummingbird
import Identity
import Mustache

/// The realm's HTML pages (login, password update, messages), rendered from templates with HTML escaping.
struct LoginPage: Sendable {
    private let library: MustacheLibrary
    let stylesheet: String

    static func load() async throws -> LoginPage {
        let root = Bundle.module.bundleURL.appendingPathComponent("Resources").path
        let library = try await MustacheLibrary(directory: root + "/templates")
        let stylesheet = try String(contentsOfFile: root + "/login.css", encoding: .utf8)
        return LoginPage(library: library, stylesheet: stylesheet)
    }

    func render(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        Self.html(library.render(context, withTemplate: template) ?? "", status: status)
    }

    /// A plain page with a title and one sentence; used where no template library is at hand.
    static func message(title: String, text: String, status: HTTPResponse.Status = .ok) -> Response {
        let body = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(title))</title>\
            <link rel="stylesheet" href="/resources/login.css"></head>\
            <body><main class="card"><h1>\(HTMLText.escape(title))</h1><p>\(HTMLText.escape(text))</p></main></body></html>
            """
        return html(body, status: status)
    }

    static func html(_ body: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = PagePolicy.login.description
        headers[.xFrameOptions] = "DENY"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
