import Domain
import HTTPKit
import Hummingbird
import UseCases

/// `/admin/realms/{realm}/attack-detection/brute-force/users[/{id}]`: a user's counted failures (GET) and clearing
/// them (DELETE), for one user or the whole realm.
struct AdminAttackDetectionController: Sendable {
    let failures: SignInFailures

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get("users/:user", use: status)
        group.delete("users/:user", use: clear)
        group.delete("users", use: clearAll)
    }

    /// Keycloak's answer: `lastIPFailure` is `n/a` and `lastFailure` 0 when nothing failed.
    struct Status: Encodable {
        let numFailures: Int
        let disabled: Bool
        let lastIPFailure: String
        let lastFailure: Int
    }

    @Sendable func status(_ request: Request, context: AdminContext) async throws -> Response {
        let status = try await failures.status(
            context.principal, realm: try context.parameters.require("realm"), userId: try context.parameters.require("user"))
        return JSONBody.response(
            Status(
                numFailures: status.numFailures, disabled: status.disabled, lastIPFailure: status.lastIPFailure ?? "n/a",
                lastFailure: status.lastFailure?.keycloakMilliseconds ?? 0))
    }

    @Sendable func clear(_ request: Request, context: AdminContext) async throws -> Response {
        try await failures.clear(context.principal, realm: try context.parameters.require("realm"), userId: try context.parameters.require("user"))
        return Response(status: .noContent)
    }

    @Sendable func clearAll(_ request: Request, context: AdminContext) async throws -> Response {
        try await failures.clearAll(context.principal, realm: try context.parameters.require("realm"))
        return Response(status: .noContent)
    }
}
