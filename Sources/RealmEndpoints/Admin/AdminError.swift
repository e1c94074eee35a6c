import Domain
import HTTPKit
import Hummingbird
import Identity

/// Errors of the admin REST API in Keycloak's shapes: `{"errorMessage"}` for conflicts and bad input,
/// `{"error"}` for missing objects and refused access.
struct AdminError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    let key: String
    /// Keycloak's `error_description`, where its answer has one.
    var description: String? = nil

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        // Keycloak's authorization services answer a missing resource or policy with an empty 404.
        if key.isEmpty { return Response(status: status, headers: headers) }
        guard let description else { return JSONBody.response(status: status, headers: headers, [key: message]) }
        // In Keycloak's order, which clients match on: `error` first.
        var json = OrderedJSON()
        json.append(key, .string(message))
        json.append("error_description", .string(description))
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }

    static func conflict(_ message: String) -> AdminError { AdminError(status: .conflict, message: message, key: "errorMessage") }
    static func badRequest(_ message: String) -> AdminError { AdminError(status: .badRequest, message: message, key: "errorMessage") }
    static func notFound(_ message: String) -> AdminError { AdminError(status: .notFound, message: message, key: "error") }
    static let emptyNotFound = AdminError(status: .notFound, message: "", key: "")
    static let unauthorized = AdminError(status: .unauthorized, message: "HTTP 401 Unauthorized", key: "error")
    static let forbidden = AdminError(status: .forbidden, message: "HTTP 403 Forbidden", key: "error")
}

/// A password the realm's policy refuses, as Keycloak's admin REST says it: its message key as `error` and the
/// sentence as `error_description` (`{"error":"invalidPasswordMinLengthMessage","error_description":"Invalid password:
/// minimum length 12."}`), which scripts show to the person who chose the password.
struct PasswordPolicyError: HTTPResponseError {
    let violation: PasswordPolicy.Violation

    var status: HTTPResponse.Status { .badRequest }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONBody.response(status: .badRequest, ["error": violation.key, "error_description": violation.message])
    }
}
