import Domain
import Foundation
import HTTPKit
import UseCases

/// Keycloak's policy and permission representations in one: the typed form (`roles`, `users`, `resources`, time
/// fields…, as `…/policy/role` takes and answers) and the generic form's `config`, whose values are text — lists as
/// JSON (`"[\"Default Resource\"]"`) — as `…/policy` lists and the settings document export them. Read back, either
/// form is taken, the typed fields first.
struct AuthzPolicyRepresentation: Codable {
    struct RoleDefinition: Codable { var id: String?; var required: Bool? }
    struct GroupDefinition: Codable { var id: String?; var path: String?; var extendChildren: Bool? }

    var id: String?
    var name: String?
    var description: String?
    var type: String?
    var logic: String?
    var decisionStrategy: String?
    var config: [String: String]?
    var roles: [RoleDefinition]?
    var users: [String]?
    var clients: [String]?
    var groups: [GroupDefinition]?
    var resources: [String]?
    var scopes: [String]?
    var policies: [String]?
    var resourceType: String?
    var notBefore, notOnOrAfter, dayMonth, dayMonthEnd, month, monthEnd, year, yearEnd, hour, hourEnd, minute, minuteEnd: String?

    /// The generic form with ids (`…/policy` lists); `typed` adds the typed fields.
    init(_ policy: AuthorizationPolicy, typed: Bool) {
        id = policy.id
        name = policy.name
        description = policy.description
        type = policy.type.rawValue
        logic = policy.logic.rawValue
        decisionStrategy = policy.decisionStrategy.rawValue
        let conditions = policy.conditions
        config = Self.config(
            roles: conditions.roles?.map { ($0.roleId, $0.required) }, users: conditions.users, clients: conditions.clients,
            groups: conditions.groups?.map { ($0.groupId, $0.extendChildren) }, time: conditions.time, resourceType: conditions.resourceType,
            resources: [], scopes: [], policies: [], groupKey: "id")
        guard typed else { return }
        config = nil
        roles = conditions.roles?.map { RoleDefinition(id: $0.roleId, required: $0.required) }
        users = conditions.users
        clients = conditions.clients
        groups = conditions.groups?.map { GroupDefinition(id: $0.groupId, extendChildren: $0.extendChildren) }
        resourceType = conditions.resourceType
        if policy.type.isPermission {
            resources = policy.resourceIds
            scopes = policy.scopeIds
        }
        if policy.type.isPermission || policy.type == .aggregate { policies = policy.policyIds }
        let time = conditions.time?.fields ?? [:]
        (notBefore, notOnOrAfter, dayMonth, dayMonthEnd) = (time["notBefore"], time["notOnOrAfter"], time["dayMonth"], time["dayMonthEnd"])
        (month, monthEnd, year, yearEnd) = (time["month"], time["monthEnd"], time["year"], time["yearEnd"])
        (hour, hourEnd, minute, minuteEnd) = (time["hour"], time["hourEnd"], time["minute"], time["minuteEnd"])
    }

    /// The export form: generic, everything named.
    init(export named: ResourceServers.NamedPolicy) {
        let policy = named.policy
        (id, name, description, type) = (policy.id, policy.name, policy.description, policy.type.rawValue)
        (logic, decisionStrategy) = (policy.logic.rawValue, policy.decisionStrategy.rawValue)
        config = Self.config(
            roles: policy.conditions.roles == nil ? nil : named.roles.map { ($0.name, $0.required) },
            users: policy.conditions.users == nil ? nil : named.users, clients: policy.conditions.clients == nil ? nil : named.clients,
            groups: policy.conditions.groups == nil ? nil : named.groups.map { ($0.path, $0.extendChildren) }, time: policy.conditions.time,
            resourceType: policy.conditions.resourceType, resources: named.resources, scopes: named.scopes, policies: named.policies, groupKey: "path")
    }

    private static func config(
        roles: [(String, Bool)]?, users: [String]?, clients: [String]?, groups: [(String, Bool)]?, time: TimeWindow?, resourceType: String?,
        resources: [String], scopes: [String], policies: [String], groupKey: String
    ) -> [String: String] {
        var config: [String: String] = [:]
        func json(_ value: some Encodable) -> String { String(decoding: (try? JSONBody.encoder.encode(value)) ?? Data("[]".utf8), as: UTF8.self) }
        if let roles { config["roles"] = json(roles.map { RoleDefinition(id: $0.0, required: $0.1) }) }
        if let users { config["users"] = json(users) }
        if let clients { config["clients"] = json(clients) }
        if let groups { config["groups"] = json(groups.map { groupKey == "path" ? GroupDefinition(path: $0.0, extendChildren: $0.1) : GroupDefinition(id: $0.0, extendChildren: $0.1) }) }
        if let time {
            for (key, value) in time.fields { config[Self.timeConfigKeys[key] ?? key] = value }
        }
        if let resourceType { config["defaultResourceType"] = resourceType }
        if !resources.isEmpty { config["resources"] = json(resources) }
        if !scopes.isEmpty { config["scopes"] = json(scopes) }
        if !policies.isEmpty { config["applyPolicies"] = json(policies) }
        return config
    }

    /// Keycloak's config spells the two instants `nbf` and `noa`.
    static let timeConfigKeys = ["notBefore": "nbf", "notOnOrAfter": "noa"]

    /// The policy as an input: typed fields, else their `config` text. Config text that is not the JSON it should be
    /// is refused.
    func input() throws -> PolicyInput {
        var input = PolicyInput(name: name ?? "", description: description ?? "", type: type)
        input.logic = logic
        input.decisionStrategy = decisionStrategy
        let config = self.config ?? [:]
        func list<T: Decodable>(_ key: String, as: T.Type) throws -> T? {
            guard let text = config[key] else { return nil }
            guard let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else { throw AdminError.badRequest("config.\(key) is not valid") }
            return value
        }
        input.roles = try (roles ?? list("roles", as: [RoleDefinition].self))?.map { ($0.id ?? "", $0.required ?? false) }
        input.users = try users ?? list("users", as: [String].self)
        input.clients = try clients ?? list("clients", as: [String].self)
        input.groups = try (groups ?? list("groups", as: [GroupDefinition].self))?.map { ($0.id ?? $0.path ?? "", $0.extendChildren ?? false) }
        input.resources = try resources ?? list("resources", as: [String].self)
        input.scopes = try scopes ?? list("scopes", as: [String].self)
        input.policies = try policies ?? list("applyPolicies", as: [String].self)
        input.resourceType = resourceType ?? config["defaultResourceType"]
        let typedTime: [String: String?] = [
            "notBefore": notBefore, "notOnOrAfter": notOnOrAfter, "dayMonth": dayMonth, "dayMonthEnd": dayMonthEnd, "month": month,
            "monthEnd": monthEnd, "year": year, "yearEnd": yearEnd, "hour": hour, "hourEnd": hourEnd, "minute": minute, "minuteEnd": minuteEnd,
        ]
        var time: [String: String] = [:]
        for field in TimeWindow.fieldNames {
            if let value = (typedTime[field] ?? nil) ?? config[Self.timeConfigKeys[field] ?? field] { time[field] = value }
        }
        input.time = time
        return input
    }
}
