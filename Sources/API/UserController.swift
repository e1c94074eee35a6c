import Domain
import HTTPKit
import Hummingbird
import Identity

/// `GET /api/user/me` (ours): who the credential stands for.
public struct UserController: Sendable {
    public init() {}

    struct Me: Encodable {
        let sub: String
        let username: String
        let realm: String
        let roles: [String]
        let auth: String
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("user/me") { _, context in Self.me(context.principal) }
    }

    /// The body of `/api/user/me` for a principal (also what the benchmark's unauthenticated baseline serves).
    public static func me(_ principal: Principal) -> Response {
        JSONBody.response(
            Me(sub: principal.subject, username: principal.username, realm: principal.realm, roles: principal.roles.sorted(),
               auth: principal.credential.scheme))
    }
}
