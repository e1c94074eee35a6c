import Foundation
import Hummingbird

/// Errors of the NexusOne API, rendered as FastAPI does: `{"detail": "…"}`.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let detail: String
    /// Seconds to wait, for answers that say "not now" (`Retry-After`).
    public var retryAfter: Int?

    public init(status: HTTPResponse.Status, detail: String, retryAfter: Int? = nil) {
        self.status = status
        self.detail = detail
        self.retryAfter = retryAfter
    }

    public static func forbidden(_ detail: String) -> APIError { APIError(status: .forbidden, detail: detail) }
    public static func notFound(_ detail: String) -> APIError { APIError(status: .notFound, detail: detail) }
    public static func badRequest(_ detail: String) -> APIError { APIError(status: .badRequest, detail: detail) }
    public static let unavailable = APIError(status: .serviceUnavailable, detail: "Service unavailable")

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONBody.response(status: status, headers: retryAfter.map { [.retryAfter: String($0)] } ?? [:], ["detail": detail])
    }
}

/// Small helpers for JSON responses built from dictionaries and encodables.
public enum JSONBody {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    public static func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], _ value: some Encodable) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        guard let data = try? encoder.encode(value) else {
            // A value JSON cannot hold (nested too deep, a non-finite number) is the server's fault: say so, never `{}`.
            return Response(
                status: .internalServerError, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Data(#"{"detail":"Internal error"}"#.utf8))))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
