import Domain
import Foundation
import HTTPKit
import Hummingbird
import Identity
import NIOFoundationCompat
import Tokens

/// The context of `/admin` routes: a verified bearer token of an administrator.
struct AdminContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let principal: Principal

    init(context: AppRequestContext) throws {
        guard let principal = context.identity else { throw AdminError.unauthorized }
        self.coreContext = context.coreContext
        self.principal = principal
    }

    var maxUploadSize: Int { 1 << 20 }
    /// Keycloak representations, read as Keycloak answers unreadable ones (`request.decode(as:context:)`).
    var requestDecoder: KeycloakRequestDecoder { KeycloakRequestDecoder() }

    /// The realm the path names (`/admin/realms/{realm}/…`).
    var realm: String { get throws { try parameters.require("realm") } }
}

/// Turns a bearer token into the identity of an admin request; without a valid one the request is 401.
struct AdminAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let verifier: AccessTokenVerifier

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = BearerTokenAuthenticator.bearerToken(request.headers[.authorization]) else { throw AdminError.unauthorized }
        // The API's own reading of a bearer token (ours, or a federated realm's issuer's): one path, one principal.
        guard let principal = try? await verifier.authenticate(token) else { throw AdminError.unauthorized }
        var context = context
        context.identity = principal
        return try await next(request, context)
    }
}

/// How the admin REST reads JSON bodies: at most 1 MiB (413), anything unreadable a 400 `{"errorMessage"}`.
struct KeycloakRequestDecoder: RequestDecoder {
    func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        try Self.decode(type, from: try await Self.collect(request, context: context))
    }

    static func collect(_ request: Request, context: some RequestContext) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw AdminError(status: .contentTooLarge, message: "Request body too large", key: "errorMessage")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        let decoded: T
        do {
            decoded = try JSONDecoder().decode(T.self, from: buffer)
        } catch {
            throw UnreadableBodyError()
        }
        if let strict = T.self as? any StrictRepresentation.Type,
            let object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any],
            let unknown = object.keys.sorted().first(where: { !strict.knownFields.contains($0) })
        {
            throw AdminError.badRequest("Unrecognized field \"\(unknown)\"")
        }
        return decoded
    }
}

/// A body that is not the representation asked for (not JSON, or a string where an object belongs): Keycloak's
/// `{"error":"unknown_error"}`, which its clients match, with what went wrong — as a 400, where Keycloak says 500.
struct UnreadableBodyError: HTTPResponseError {
    var status: HTTPResponse.Status { .badRequest }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = OrderedJSON()
        body.append("error", .string("unknown_error"))
        body.append("error_description", .string("Invalid JSON body"))
        return Response(status: .badRequest, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body.bytes)))
    }
}

/// A representation whose unknown members are refused, as Keycloak's JSON mapping refuses them (400 `Unrecognized
/// field`): a misspelt field in a script then shows at once instead of being dropped. `knownFields` is every member of
/// Keycloak's representation, including those this server reads past, so what a GET returned can be sent back.
protocol StrictRepresentation {
    static var knownFields: Set<String> { get }
}
