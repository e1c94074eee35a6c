import HTTPKit
import HTTPTypes
import Hummingbird
import Identity
import Logging
import Synchronization

/// One log line per request: method, path (never the query string, which may hold a key), status, duration, request
/// id and principal id — and the same request in the metrics. Headers are never logged, so no `Authorization*` value
/// can leak here.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let telemetry: Telemetry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = HTTPResponse.Status.internalServerError
        defer {
            let elapsed = ContinuousClock.now - start
            telemetry.requestAnswered(method: request.method.rawValue, status: status.code, duration: elapsed)
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            context.logger.info(
                "request",
                metadata: [
                    "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(status.code)",
                    "duration_ms": "\((milliseconds * 100).rounded() / 100)", "request_id": "\(context.id)",
                    "principal": "\(context.record.principalId.withLock { $0 } ?? "-")",
                ])
        }
        do {
            var response = try await next(request, context)
            status = response.status
            response.headers[HTTPField.Name("X-Request-Id")!] = context.id
            return response
        } catch let error as any HTTPResponseError {
            status = error.status
            throw error
        }
    }
}
