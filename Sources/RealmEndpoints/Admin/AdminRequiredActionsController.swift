import Domain
import HTTPKit
import Hummingbird
import UseCases

/// `/admin/realms/{realm}/authentication/required-actions[/{alias}]`: the required actions this server carries out,
/// listed, read and changed (enabled, default for new users, priority).
struct AdminRequiredActionsController: Sendable {
    let realms: Realms
    let update: UpdateRealm

    func addRoutes(to group: RouterGroup<AdminContext>) {
        group.get("", use: list)
        group.get(":alias", use: show)
        group.put(":alias", use: change)
    }

    /// Keycloak's `RequiredActionProviderRepresentation`.
    struct Representation: Codable {
        var alias: String?
        var name: String?
        var providerId: String?
        var enabled: Bool?
        var defaultAction: Bool?
        var priority: Int?
        var config: [String: String]?

        init(_ action: RequiredAction, known: RequiredAction.Known) {
            (alias, name, providerId) = (action.alias, known.name, action.alias)
            (enabled, defaultAction, priority, config) = (action.enabled, action.defaultAction, action.priority, [:])
        }
    }

    @Sendable func list(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await realms.administered(by: context.principal, name: try context.parameters.require("realm"))
        return JSONBody.response(
            realm.requiredActions.all.compactMap { action in RequiredAction.Known(rawValue: action.alias).map { Representation(action, known: $0) } })
    }

    @Sendable func show(_ request: Request, context: AdminContext) async throws -> Response {
        let realm = try await realms.administered(by: context.principal, name: try context.parameters.require("realm"))
        let known = try Self.known(context)
        return JSONBody.response(Representation(realm.requiredActions[known], known: known))
    }

    @Sendable func change(_ request: Request, context: AdminContext) async throws -> Response {
        let name = try context.parameters.require("realm")
        let realm = try await realms.administered(by: context.principal, name: name)
        let known = try Self.known(context)
        let body = try await request.decode(as: Representation.self, context: context)
        var action = realm.requiredActions[known]
        if let enabled = body.enabled {
            guard !enabled || known.canBeEnabled else { throw AdminError.badRequest("\(known.rawValue) needs mail, which this server does not send") }
            action.enabled = enabled
        }
        if let defaultAction = body.defaultAction { action.defaultAction = defaultAction }
        if let priority = body.priority {
            guard (0...10_000).contains(priority) else { throw AdminError.badRequest("priority must be between 0 and 10000") }
            action.priority = priority
        }
        var settings = try RealmSettings()
        settings.requiredAction = action
        try await update(context.principal, realm: name, settings: settings)
        return Response(status: .noContent)
    }

    private static func known(_ context: AdminContext) throws -> RequiredAction.Known {
        guard let known = RequiredAction.Known(rawValue: try context.parameters.require("alias")) else {
            throw AdminError.notFound("Failed to find required action")
        }
        return known
    }
}
