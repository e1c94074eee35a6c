import Domain
import Foundation
import UseCases

/// Keycloak's `ResourceRepresentation`: `_id`, the owner (the resource server's client), scopes as `{id, name}`. Read
/// back, scopes may be named by `name` or `id` (exports name them).
struct AuthzResourceRepresentation: Codable {
    struct Owner: Codable { var id, name: String }
    struct ScopeReference: Codable { var id, name: String? }

    var _id: String?
    var name: String?
    var displayName: String?
    var type: String?
    var uris: [String]?
    var icon_uri: String?
    var ownerManagedAccess: Bool?
    var attributes: [String: [String]]?
    var scopes: [ScopeReference]?
    var owner: Owner?

    init(_ resource: ProtectedResource, client: Client, scopes: [AuthorizationScope], export: Bool = false) {
        _id = resource.id
        name = resource.name
        displayName = resource.displayName.isEmpty ? nil : resource.displayName
        type = resource.type.isEmpty ? nil : resource.type
        uris = resource.uris
        icon_uri = resource.iconURI.isEmpty ? nil : resource.iconURI
        ownerManagedAccess = resource.ownerManagedAccess
        attributes = resource.attributes
        let byId = Dictionary(scopes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.scopes = resource.scopeIds.compactMap { byId[$0] }.map { ScopeReference(id: export ? nil : $0.id, name: $0.name) }
        owner = export ? nil : Owner(id: client.id, name: client.clientId)
    }

    var input: ResourceInput {
        ResourceInput(
            name: name ?? "", displayName: displayName ?? "", type: type ?? "", uris: uris ?? [], iconURI: icon_uri ?? "",
            ownerManagedAccess: ownerManagedAccess ?? false, attributes: attributes ?? [:], scopes: (scopes ?? []).compactMap { $0.name ?? $0.id })
    }
}

/// Keycloak's authorization `ScopeRepresentation`.
struct AuthzScopeRepresentation: Codable {
    var id: String?
    var name: String?
    var displayName: String?
    var iconUri: String?

    init(_ scope: AuthorizationScope) {
        id = scope.id
        name = scope.name
        displayName = scope.displayName.isEmpty ? nil : scope.displayName
        iconUri = scope.iconURI.isEmpty ? nil : scope.iconURI
    }

    var input: AuthorizationScopeInput { AuthorizationScopeInput(name: name ?? "", displayName: displayName ?? "", iconURI: iconUri ?? "") }
}

/// Keycloak's `ResourceServerRepresentation`: the settings, and in the settings document (`…/settings`, the export)
/// every resource, policy and scope, each named as people write it.
struct ResourceServerRepresentation: Codable {
    struct Schema: Codable { var resourceTypes: [String: String] = [:] }

    var id: String?
    var clientId: String?
    var name: String?
    var allowRemoteResourceManagement: Bool?
    var policyEnforcementMode: String?
    var decisionStrategy: String?
    var resources: [AuthzResourceRepresentation]?
    var policies: [AuthzPolicyRepresentation]?
    var scopes: [AuthzScopeRepresentation]?
    var authorizationSchema: Schema?

    init(client: Client, settings: ResourceServerSettings) {
        id = client.id
        clientId = client.clientId
        name = client.name.isEmpty ? client.clientId : client.name
        allowRemoteResourceManagement = settings.allowRemoteResourceManagement
        policyEnforcementMode = settings.enforcementMode.rawValue
        decisionStrategy = settings.decisionStrategy.rawValue
    }

    init(export contents: ResourceServers.Contents, named: [ResourceServers.NamedPolicy]) {
        self.init(client: contents.client, settings: contents.settings)
        resources = contents.resources.map { AuthzResourceRepresentation($0, client: contents.client, scopes: contents.scopes, export: true) }
        policies = named.map(AuthzPolicyRepresentation.init(export:))
        scopes = contents.scopes.map(AuthzScopeRepresentation.init)
        authorizationSchema = Schema()
    }

    /// The settings this document sets, over `current`; a word Keycloak does not have is refused.
    func settings(over current: ResourceServerSettings) throws -> ResourceServerSettings {
        var settings = current
        if let allowRemoteResourceManagement { settings.allowRemoteResourceManagement = allowRemoteResourceManagement }
        if let policyEnforcementMode {
            guard let mode = ResourceServerSettings.EnforcementMode(rawValue: policyEnforcementMode) else {
                throw AdminError.badRequest("policyEnforcementMode is ENFORCING, PERMISSIVE or DISABLED")
            }
            settings.enforcementMode = mode
        }
        if let decisionStrategy {
            guard let strategy = DecisionStrategy(rawValue: decisionStrategy) else {
                throw AdminError.badRequest("decisionStrategy is UNANIMOUS, AFFIRMATIVE or CONSENSUS")
            }
            settings.decisionStrategy = strategy
        }
        return settings
    }

    var hasSettings: Bool { allowRemoteResourceManagement != nil || policyEnforcementMode != nil || decisionStrategy != nil }

    var document: ResourceServers.Document {
        get throws {
            ResourceServers.Document(
                settings: hasSettings ? try settings(over: ResourceServerSettings()) : nil, scopes: (scopes ?? []).map(\.input),
                resources: (resources ?? []).map(\.input), policies: try (policies ?? []).map { try $0.input() })
        }
    }
}
