import Authentication
import Domain
import Foundation
import Hummingbird
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

    /// The master realm's `admin` may manage every realm.
    var isServerAdmin: Bool { principal.realm == Realm.master && principal.has(role: MasterRealm.adminRole) }

    /// 403 unless the caller administers `realm`: the server administrator, or that realm's `nx1_admin`.
    func authorize(realm: String) throws {
        if isServerAdmin { return }
        guard principal.realm == realm, principal.has(role: NexusOneRoles.admin) else { throw AdminError.forbidden }
    }
}

/// Turns a bearer token into the identity of an admin request; without a valid one the request is 401.
struct AdminAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let verifier: AccessTokenVerifier

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = BearerTokenAuthenticator.bearerToken(request.headers[.authorization]) else { throw AdminError.unauthorized }
        guard let claims = try? await verifier.verify(token), let realm = verifier.issuers.realm(ofIssuer: claims.iss) else {
            throw AdminError.unauthorized
        }
        var context = context
        context.identity = AccessTokenVerifier.principal(from: claims, realm: realm)
        return try await next(request, context)
    }
}

/// Reads a JSON request body of at most 1 MiB; anything unreadable is a 400 naming the problem.
enum AdminBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 1 << 20)
        } catch {
            throw AdminError(status: .contentTooLarge, message: "Request body too large", key: "errorMessage")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw AdminError.badRequest("Invalid JSON body")
        }
    }
}
