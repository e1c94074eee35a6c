import Foundation
import Hummingbird
import NIOFoundationCompat

/// FastAPI's 422: `{"detail":[{"loc":["body","name"],"msg":"…","type":"…"}]}`.
public struct ValidationError: HTTPResponseError {
    public struct Problem: Encodable, Sendable {
        public var loc: [String]
        public var msg: String
        public var type: String
    }

    public let problems: [Problem]
    public var status: HTTPResponse.Status { .unprocessableContent }

    public init(field: String, message: String, type: String = "value_error", location: String = "body") {
        problems = [Problem(loc: [location, field], msg: message, type: type)]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONBody.response(status: status, ["detail": problems])
    }
}

/// How `/api` reads JSON bodies (`request.decode(as:context:)`): at most 1 MiB (413), an empty body as `{}` (FastAPI
/// treats a missing optional body so), and unreadable JSON as FastAPI's 422 naming the problem.
public struct FastAPIRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError(status: .contentTooLarge, detail: "Request body too large (1 MiB at most)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: buffer.readableBytes == 0 ? ByteBuffer(string: "{}") : buffer)
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw ValidationError(field: context.codingPath.map(\.stringValue).joined(separator: "."), message: "Wrong type", type: "type_error")
        } catch {
            throw ValidationError(field: "", message: "Body is not valid JSON", type: "json_invalid")
        }
    }
}
