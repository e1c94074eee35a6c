import API
import Domain
import HTTPKit
import Hummingbird
import Identity
import Logging
import Secrets
import Storage
import UseCases
import Warehouses

/// The last line of defence: errors that know their HTTP shape render themselves here (so the outer middleware
/// still adds headers and logs the status); Hummingbird's own errors get FastAPI's
/// `{"detail"}`; anything else is logged with the request id and becomes a bare 500 — never a stack trace or SQL.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let allowedMethods: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            // Keycloak's admin REST says what it misses in its own shape (`{"error":"HTTP 404 Not Found"}`), which its
            // clients match; everywhere else FastAPI's `{"detail"}`.
            let path = request.uri.path
            let key = Self.isKeycloakAdmin(path) ? "error" : "detail"
            if error.status == .notFound, case let allowed = allowedMethods.methods(for: path), !allowed.isEmpty, !allowed.contains(request.method) {
                return JSONBody.response(
                    status: .methodNotAllowed, headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")],
                    [key: key == "error" ? "HTTP 405 Method Not Allowed" : "Method Not Allowed"])
            }
            if key == "error", error.body == nil {
                return JSONBody.response(status: error.status, [key: "HTTP \(error.status.code) \(error.status.reasonPhrase)"])
            }
            let detail = error.body ?? error.status.reasonPhrase
            var headers = error.headers
            headers[.contentType] = nil
            return JSONBody.response(status: error.status, headers: headers, ["detail": detail])
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        } catch let error as any UseCaseError {
            return try UseCaseErrorMapping.apiError(error).response(from: request, context: context)
        } catch StorageError.unavailable, WarehouseError.unavailable {
            return JSONBody.response(status: .serviceUnavailable, ["detail": "Service unavailable"])
        } catch is HashingPool.Busy {
            return JSONBody.response(
                status: .serviceUnavailable, headers: [.retryAfter: String(HashingPool.Busy.retryAfter)], ["detail": "Too many sign-ins at once; try again shortly"])
        } catch StorageError.duplicate {
            return JSONBody.response(status: .conflict, ["detail": "Already exists"])
        } catch StorageError.missingReference {
            // A safety net: use cases say which object vanished where they can.
            let isAdmin = Self.isKeycloakAdmin(request.uri.path)
            return JSONBody.response(
                status: isAdmin ? .notFound : .conflict, [isAdmin ? "error" : "detail": "Something it refers to was deleted meanwhile"])
        } catch StorageError.unstorableText {
            let key = Self.isKeycloakAdmin(request.uri.path) ? "errorMessage" : "detail"
            return JSONBody.response(status: .badRequest, [key: "Text with a NUL character cannot be stored or searched"])
        } catch {
            let requestId = context.id
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))", "request_id": "\(requestId)"])
            return JSONBody.response(status: .internalServerError, ["detail": "Internal error", "request_id": requestId])
        }
    }

    /// Keycloak's admin REST answers in its own shapes, which its clients match.
    static func isKeycloakAdmin(_ path: String) -> Bool { path.hasPrefix("/admin/") || path.hasPrefix("/auth/admin/") }
}
