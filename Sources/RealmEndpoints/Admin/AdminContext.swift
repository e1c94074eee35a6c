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
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw AdminError(status: .contentTooLarge, message: "Request body too large", key: "errorMessage")
        }
        let decoded: T
        do {
            decoded = try JSONDecoder().decode(T.self, from: buffer)
        } catch {
            throw AdminError.badRequest("Invalid JSON body")
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

/// A representation whose unknown members are refused, as Keycloak's JSON mapping refuses them (400 `Unrecognized
/// field`): a misspelt field in a script then shows at once instead of being dropped. `knownFields` is every member of
/// Keycloak's representation, including those this server reads past, so what a GET returned can be sent back.
protocol StrictRepresentation {
    static var knownFields: Set<String> { get }
}
