import Domain
import Foundation

/// Who a token is about, as the mappers read it.
public struct ClaimSource: Sendable {
    public var user: User
    /// The client the token is for (`azp`).
    public var clientId: String
    public var realmRoles: [String]
    /// Client roles by the owning client's `clientId`.
    public var clientRoles: [String: [String]]
    /// The user's groups by path; read only when the plan has a group-membership mapper (`ClaimPlan.needsGroups`).
    public var groupPaths: [String]

    public init(user: User, clientId: String, realmRoles: [String], clientRoles: [String: [String]], groupPaths: [String] = []) {
        (self.user, self.clientId, self.realmRoles, self.clientRoles, self.groupPaths) = (user, clientId, realmRoles, clientRoles, groupPaths)
    }
}

/// One client's protocol mappers — those of its default scopes, of its optional scopes, and its own — with their
/// configuration read once, when the plan is made (and cached per client by the caller), so a token only runs them.
public struct ClaimPlan: Sendable {
    public struct Scope: Sendable {
        public let name: String
        let inTokenScope: Bool
        let mappers: [CompiledMapper]
    }

    /// Where mapped claims go.
    public enum Target: Sendable, CaseIterable {
        case access, id, userInfo

        var flag: CompiledMapper.Targets {
            switch self {
            case .access: .access
            case .id: .id
            case .userInfo: .userInfo
            }
        }
    }

    let defaults: [Scope]
    let optional: [String: Scope]
    let clientMappers: [CompiledMapper]
    public let needsGroups: Bool
    public let defaultNames: Set<String>
    public let optionalNames: Set<String>
    /// What most tokens run: the default scopes' mappers and the client's own, for each target, in order.
    private let baseline: [Target: [CompiledMapper]]
    private let baselineScopeText: String

    public init(defaultScopes: [(ClientScope, [ProtocolMapper])], optionalScopes: [(ClientScope, [ProtocolMapper])], clientMappers: [ProtocolMapper]) {
        func scope(_ entry: (ClientScope, [ProtocolMapper])) -> Scope {
            Scope(name: entry.0.name, inTokenScope: entry.0.includedInTokenScope, mappers: entry.1.compactMap(CompiledMapper.init))
        }
        defaults = defaultScopes.map(scope)
        optional = Dictionary(optionalScopes.map { ($0.0.name, scope($0)) }) { first, _ in first }
        let own = clientMappers.compactMap(CompiledMapper.init)
        self.clientMappers = own
        needsGroups = (defaults + optional.values).flatMap(\.mappers).contains { $0.readsGroups } || own.contains { $0.readsGroups }
        defaultNames = Set(defaults.map(\.name))
        optionalNames = Set(optional.keys)
        let everyDefault = defaults.flatMap(\.mappers) + own
        baseline = Dictionary(uniqueKeysWithValues: Target.allCases.map { target in (target, everyDefault.filter { $0.targets.contains(target.flag) }) })
        baselineScopeText = Self.scopeText(defaults)
    }

    /// The token's `scope`: `openid` and every granted scope that shows in it, sorted (`"email openid profile"`).
    public func scopeText(optional granted: Set<String>) -> String {
        granted.isEmpty ? baselineScopeText : Self.scopeText(defaults + granted.compactMap { optional[$0] })
    }

    private static func scopeText(_ scopes: [Scope]) -> String {
        Set(scopes.filter(\.inTokenScope).map(\.name) + ["openid"]).sorted().joined(separator: " ")
    }

    /// What the granted scopes' mappers and the client's own put in one token (or userinfo). Scopes run in order —
    /// defaults, then the optional ones asked for by name — and the client's own mappers last.
    public func claims(_ source: ClaimSource, optional granted: Set<String>, for target: Target) -> ClaimSet {
        var claims = ClaimSet()
        if granted.isEmpty {
            for mapper in baseline[target] ?? [] { mapper.apply(source, to: &claims) }
            return claims
        }
        let scopes = defaults + granted.sorted().compactMap { optional[$0] }
        for mapper in scopes.flatMap(\.mappers) + clientMappers where mapper.targets.contains(target.flag) { mapper.apply(source, to: &claims) }
        return claims
    }
}

/// One protocol mapper, its configuration read: what it writes, where, and into which tokens.
struct CompiledMapper: Sendable {
    struct Targets: OptionSet, Sendable {
        let rawValue: Int
        static let access = Targets(rawValue: 1)
        static let id = Targets(rawValue: 2)
        static let userInfo = Targets(rawValue: 4)
    }

    enum Action: Sendable {
        case property(UserProperty)
        case attribute(String, multivalued: Bool)
        case fullName
        case hardcoded(ClaimValue)
        case audience([String])
        case audienceResolve
        case groups(fullPath: Bool)
        case realmRoles(prefix: String, multivalued: Bool)
        case clientRoles(onlyClient: String?, prefix: String, multivalued: Bool)
        case acr
    }

    let action: Action
    /// The claim path; `resource_access.${client_id}.roles` keeps its placeholder until the client is known.
    let path: [String]
    let jsonType: String
    let targets: Targets
    /// A role mapper writing Keycloak's own place (`realm_access.roles`, `resource_access.${client_id}.roles`) without
    /// a prefix: the token's typed members.
    let standardPlace: Bool

    var readsGroups: Bool {
        if case .groups = action { true } else { false }
    }

    /// Nil for a mapper that writes nothing here (the subject, which every token has; allowed origins, which no
    /// client here has) or whose configuration no longer passes `MapperRules` (a stored mapper is never trusted more
    /// than a new one).
    init?(_ mapper: ProtocolMapper) {
        guard let type = MapperType(rawValue: mapper.type), (try? MapperRules.check(name: mapper.name, type: type, config: mapper.config)) != nil
        else { return nil }
        let config = mapper.config
        let flag = { (key: String, fallback: Bool) in config[key].map { $0 == "true" } ?? fallback }
        var targets: Targets = []
        if flag("access.token.claim", type == .audienceResolve) { targets.insert(.access) }
        if flag("id.token.claim", false) { targets.insert(.id) }
        if flag("userinfo.token.claim", false) { targets.insert(.userInfo) }
        self.targets = targets
        jsonType = config["jsonType.label"] ?? "String"
        path = config["claim.name"].flatMap(ClaimPath.init)?.components ?? []
        // Without a claim name only the mappers that know their own place write anything.
        if path.isEmpty && ![.fullName, .audience, .audienceResolve, .acr].contains(type) { return nil }
        let multivalued = config["multivalued"] == "true"
        let prefix = config["usermodel.realmRoleMapping.rolePrefix"] ?? config["usermodel.clientRoleMapping.rolePrefix"] ?? ""
        standardPlace = prefix.isEmpty
            && ((type == .realmRoles && path == ["realm_access", "roles"]) || (type == .clientRoles && path == ["resource_access", "${client_id}", "roles"]))
        switch type {
        case .userProperty:
            guard let property = config["user.attribute"].flatMap(UserProperty.init(rawValue:)) else { return nil }
            action = .property(property)
        case .userAttribute: action = .attribute(config["user.attribute"] ?? "", multivalued: multivalued)
        case .fullName: action = .fullName
        case .hardcodedClaim: action = .hardcoded(Self.typed(config["claim.value"] ?? "", jsonType) ?? .string(config["claim.value"] ?? ""))
        case .audience:
            action = .audience([config["included.client.audience"], config["included.custom.audience"]].compactMap { $0 }.filter { !$0.isEmpty })
        case .audienceResolve: action = .audienceResolve
        case .groupMembership: action = .groups(fullPath: config["full.path"] != "false")
        case .realmRoles: action = .realmRoles(prefix: config["usermodel.realmRoleMapping.rolePrefix"] ?? "", multivalued: multivalued)
        case .clientRoles:
            let only = config["usermodel.clientRoleMapping.clientId"].flatMap { $0.isEmpty ? nil : $0 }
            action = .clientRoles(onlyClient: only, prefix: config["usermodel.clientRoleMapping.rolePrefix"] ?? "", multivalued: multivalued)
        case .acr: action = .acr
        case .subject, .allowedOrigins: return nil
        }
    }

    func apply(_ source: ClaimSource, to claims: inout ClaimSet) {
        let user = source.user
        switch action {
        case .property(let property):
            let value: ClaimValue? =
                switch property {
                case .id: .string(user.id)
                case .username: .string(user.username)
                case .email: user.email.map { .string($0) }
                case .firstName: user.firstName.map { .string($0) }
                case .lastName: user.lastName.map { .string($0) }
                case .emailVerified: .bool(user.emailVerified)
                case .enabled: .bool(user.enabled)
                case .createdTimestamp: .int(user.createdAt.multipliedSaturated(by: 1000))
                }
            if let value { claims.set(path, Self.typed(value, jsonType)) }
        case .attribute(let name, let multivalued):
            guard !user.attributes.isEmpty, let values = user.attributes[name], let first = values.first else { return }
            let typed = values.map { Self.typed($0, jsonType) ?? .string($0) }
            claims.set(path, multivalued ? .array(typed) : (Self.typed(first, jsonType) ?? .string(first)))
        case .fullName:
            if let name = user.fullName { claims.name = name }
        case .hardcoded(let value):
            claims.set(path, value)
        case .audience(let audiences):
            for audience in audiences { claims.addAudience(audience) }
        case .audienceResolve:
            for client in source.clientRoles.keys.sorted() where client != source.clientId && !(source.clientRoles[client] ?? []).isEmpty {
                claims.addAudience(client)
            }
        case .groups(let fullPath):
            let names = source.groupPaths.map { fullPath ? $0 : String($0.split(separator: "/").last ?? "") }
            claims.set(path, .array(names.map { .string($0) }))
        case .realmRoles(let prefix, let multivalued):
            if standardPlace {
                claims.realmRoles = source.realmRoles
                return
            }
            let roles = source.realmRoles.map { prefix + $0 }
            if !roles.isEmpty {
                claims.set(path, multivalued || roles.count > 1 ? .array(roles.map { .string($0) }) : .string(roles[0]))
            }
        case .clientRoles(let onlyClient, let prefix, let multivalued):
            if standardPlace && onlyClient == nil {
                claims.clientRoles = (claims.clientRoles ?? [:]).merging(source.clientRoles) { $1 }
                return
            }
            for (client, roles) in source.clientRoles.sorted(by: { $0.key < $1.key }) where onlyClient == nil || onlyClient == client {
                let named = roles.map { prefix + $0 }
                let place = path.map { $0 == "${client_id}" ? client : $0 }
                if standardPlace {
                    claims.clientRoles = (claims.clientRoles ?? [:]).merging([client: named]) { $1 }
                } else if !named.isEmpty {
                    claims.set(place, multivalued || named.count > 1 ? .array(named.map { .string($0) }) : .string(named[0]))
                }
            }
        case .acr:
            claims.acr = "1"
        }
    }

    /// Text as the mapper's `jsonType.label` says (`String`, `long`, `int`, `boolean`, `JSON`); nil when it is not that.
    static func typed(_ text: String, _ type: String) -> ClaimValue? {
        switch type {
        case "long", "int": Int(text).map { .int($0) }
        case "boolean": text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil
        case "JSON": try? JSONDecoder().decode(ClaimValue.self, from: Data(text.utf8))
        default: .string(text)
        }
    }

    static func typed(_ value: ClaimValue, _ type: String) -> ClaimValue {
        guard case .string(let text) = value, type != "String" else { return value }
        return typed(text, type) ?? value
    }
}

extension ClaimPlan {
    /// The plan of a client holding exactly Keycloak's default and optional scopes (`KeycloakClientScopes`), as every
    /// client starts: what tests and benchmarks compare tokens against.
    public static let keycloakDefault: ClaimPlan = {
        func entries(_ kind: ScopeKind) -> [(ClientScope, [ProtocolMapper])] {
            KeycloakClientScopes.all.filter { $0.kind == kind }.map { spec in
                (
                    ClientScope(id: spec.name, realm: "", name: spec.name, description: spec.description, attributes: spec.attributes),
                    spec.mappers.map { ProtocolMapper(id: $0.name, name: $0.name, type: $0.type.rawValue, config: $0.config) }
                )
            }
        }
        return ClaimPlan(defaultScopes: entries(.default), optionalScopes: entries(.optional), clientMappers: [])
    }()
}
