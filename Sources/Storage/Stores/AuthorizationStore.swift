import Domain
import SQLKit

/// One client's authorization services (`clients.authz_settings`, `authz_*`): its resource-server settings, resources,
/// authorization scopes and policies with their links. Names are unique per client (unique indexes: a duplicate throws
/// `StorageError.duplicate`); every link cascades when either end goes.
public struct AuthorizationStore: Sendable {
    let sql: any SQLDatabase
    let clientId: String

    /// The store of the client with this internal id.
    public init(_ sql: any SQLDatabase, clientId: String) { (self.sql, self.clientId) = (sql, clientId) }

    // MARK: Settings

    /// Nil while the client's authorization services are off.
    public func settings() async throws -> ResourceServerSettings? {
        let text = try await sql.select().column("authz_settings").from("clients").where("id", .equal, clientId)
            .first(decodingColumn: "authz_settings", as: String?.self) ?? nil
        return text.flatMap { JSONColumn.value($0) }
    }

    /// Turns the services on (with `settings`) or off (nil, which deletes every resource, scope and policy).
    public func setSettings(_ settings: ResourceServerSettings?) async throws {
        try await sql.update("clients").set("authz_settings", to: settings.map { JSONColumn.text($0) }).where("id", .equal, clientId).run()
        guard settings == nil else { return }
        for table in ["authz_policies", "authz_resources", "authz_scopes"] {
            try await sql.delete(from: table).where("client_id", .equal, clientId).run()
        }
    }

    /// How many rows of `table` (`authz_resources`, `authz_scopes`, `authz_policies`) the client has.
    public func count(_ table: String) async throws -> Int {
        try await sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(table).where("client_id", .equal, clientId)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// Resources by id and name only, without their scopes (what resolving names needs).
    public func resourceNames() async throws -> [(id: String, name: String)] {
        try await sql.select().columns("id", "name").from("authz_resources").where("client_id", .equal, clientId).orderBy("name").all()
            .map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }

    // MARK: Resources

    struct ResourceDetails: Codable {
        var displayName, type, iconUri: String
        var uris: [String]
        var ownerManagedAccess: Bool
        var attributes: [String: [String]]
    }

    public func insert(_ resource: ProtectedResource) async throws {
        try await sql.insert(into: "authz_resources").columns("id", "client_id", "name", "details")
            .values(SQLBind(resource.id), SQLBind(clientId), SQLBind(resource.name), SQLBind(Self.details(resource))).run()
        try await linkScopes(of: resource)
    }

    public func update(_ resource: ProtectedResource) async throws {
        try await sql.update("authz_resources").set("name", to: resource.name).set("details", to: Self.details(resource))
            .where("id", .equal, resource.id).where("client_id", .equal, clientId).run()
        try await sql.delete(from: "authz_resource_scopes").where("resource_id", .equal, resource.id).run()
        try await linkScopes(of: resource)
    }

    public func deleteResource(id: String) async throws -> Bool {
        try await sql.delete(from: "authz_resources").where("id", .equal, id).where("client_id", .equal, clientId).returning("id").all().count > 0
    }

    public func resources() async throws -> [ProtectedResource] {
        let rows = try await sql.select().columns("id", "name", "details").from("authz_resources").where("client_id", .equal, clientId).orderBy("name").all()
        let links = try await sql.select().columns("resource_id", "scope_id").from("authz_resource_scopes")
            .join("authz_resources", on: SQLColumn("resource_id", table: "authz_resource_scopes"), .equal, SQLColumn("id", table: "authz_resources"))
            .where(SQLColumn("client_id", table: "authz_resources"), .equal, SQLBind(clientId)).all()
        var scopes: [String: [String]] = [:]
        for link in links {
            scopes[try link.decode(column: "resource_id", as: String.self), default: []].append(try link.decode(column: "scope_id", as: String.self))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: String.self)
            let details: ResourceDetails? = JSONColumn.value(try row.decode(column: "details", as: String.self))
            return ProtectedResource(
                id: id, name: try row.decode(column: "name", as: String.self), displayName: details?.displayName ?? "", type: details?.type ?? "",
                uris: details?.uris ?? [], iconURI: details?.iconUri ?? "", ownerManagedAccess: details?.ownerManagedAccess ?? false,
                attributes: details?.attributes ?? [:], scopeIds: (scopes[id] ?? []).sorted())
        }
    }

    private func linkScopes(of resource: ProtectedResource) async throws {
        for scopeId in Set(resource.scopeIds) {
            try await sql.insert(into: "authz_resource_scopes").columns("resource_id", "scope_id").values(SQLBind(resource.id), SQLBind(scopeId)).run()
        }
    }

    static func details(_ resource: ProtectedResource) -> String {
        JSONColumn.text(
            ResourceDetails(
                displayName: resource.displayName, type: resource.type, iconUri: resource.iconURI, uris: resource.uris,
                ownerManagedAccess: resource.ownerManagedAccess, attributes: resource.attributes))
    }

    // MARK: Scopes

    public func insert(_ scope: AuthorizationScope) async throws {
        try await sql.insert(into: "authz_scopes").columns("id", "client_id", "name", "display_name", "icon_uri")
            .values(SQLBind(scope.id), SQLBind(clientId), SQLBind(scope.name), SQLBind(scope.displayName), SQLBind(scope.iconURI)).run()
    }

    public func update(_ scope: AuthorizationScope) async throws {
        try await sql.update("authz_scopes").set("name", to: scope.name).set("display_name", to: scope.displayName).set("icon_uri", to: scope.iconURI)
            .where("id", .equal, scope.id).where("client_id", .equal, clientId).run()
    }

    public func deleteScope(id: String) async throws -> Bool {
        try await sql.delete(from: "authz_scopes").where("id", .equal, id).where("client_id", .equal, clientId).returning("id").all().count > 0
    }

    public func scopes() async throws -> [AuthorizationScope] {
        try await sql.select().columns("id", "name", "display_name", "icon_uri").from("authz_scopes").where("client_id", .equal, clientId)
            .orderBy("name").all()
            .map { row in
                AuthorizationScope(
                    id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                    displayName: try row.decode(column: "display_name", as: String.self), iconURI: try row.decode(column: "icon_uri", as: String.self))
            }
    }

    // MARK: Policies and permissions

    public func insert(_ policy: AuthorizationPolicy) async throws {
        try await sql.insert(into: "authz_policies").columns("id", "client_id", "name", "description", "type", "logic", "decision_strategy", "conditions")
            .values(
                SQLBind(policy.id), SQLBind(clientId), SQLBind(policy.name), SQLBind(policy.description), SQLBind(policy.type.rawValue),
                SQLBind(policy.logic.rawValue), SQLBind(policy.decisionStrategy.rawValue), SQLBind(JSONColumn.text(policy.conditions))
            ).run()
        try await link(policy)
    }

    public func update(_ policy: AuthorizationPolicy) async throws {
        try await sql.update("authz_policies").set("name", to: policy.name).set("description", to: policy.description)
            .set("logic", to: policy.logic.rawValue).set("decision_strategy", to: policy.decisionStrategy.rawValue)
            .set("conditions", to: JSONColumn.text(policy.conditions))
            .where("id", .equal, policy.id).where("client_id", .equal, clientId).run()
        for table in ["authz_policy_resources", "authz_policy_scopes", "authz_policy_associations"] {
            try await sql.delete(from: table).where("policy_id", .equal, policy.id).run()
        }
        try await link(policy)
    }

    public func deletePolicy(id: String) async throws -> Bool {
        try await sql.delete(from: "authz_policies").where("id", .equal, id).where("client_id", .equal, clientId).returning("id").all().count > 0
    }

    /// Every policy and permission of the client, with what each names.
    public func policies() async throws -> [AuthorizationPolicy] {
        let rows = try await sql.select().column("*").from("authz_policies").where("client_id", .equal, clientId).orderBy("name").all()
        let resources = try await links("authz_policy_resources", "resource_id")
        let scopes = try await links("authz_policy_scopes", "scope_id")
        let associated = try await links("authz_policy_associations", "associated_id")
        return try rows.compactMap { row in
            let id = try row.decode(column: "id", as: String.self)
            guard let type = PolicyType(rawValue: try row.decode(column: "type", as: String.self)) else { return nil }
            return AuthorizationPolicy(
                id: id, name: try row.decode(column: "name", as: String.self), description: try row.decode(column: "description", as: String.self),
                type: type, logic: PolicyLogic(rawValue: try row.decode(column: "logic", as: String.self)) ?? .positive,
                decisionStrategy: DecisionStrategy(rawValue: try row.decode(column: "decision_strategy", as: String.self)) ?? .unanimous,
                conditions: JSONColumn.value(try row.decode(column: "conditions", as: String.self)) ?? PolicyConditions(),
                resourceIds: resources[id] ?? [], scopeIds: scopes[id] ?? [], policyIds: associated[id] ?? [])
        }
    }

    private func link(_ policy: AuthorizationPolicy) async throws {
        for (table, column, ids) in [
            ("authz_policy_resources", "resource_id", policy.resourceIds), ("authz_policy_scopes", "scope_id", policy.scopeIds),
            ("authz_policy_associations", "associated_id", policy.policyIds),
        ] {
            for id in orderedUnique(ids) {
                try await sql.insert(into: table).columns("policy_id", column).values(SQLBind(policy.id), SQLBind(id)).run()
            }
        }
    }

    /// `policy_id → [target]` for one link table, limited to this client's policies.
    private func links(_ table: String, _ column: String) async throws -> [String: [String]] {
        let rows = try await sql.select().column(SQLColumn("policy_id", table: table)).column(SQLColumn(column, table: table)).from(table)
            .join("authz_policies", on: SQLColumn("policy_id", table: table), .equal, SQLColumn("id", table: "authz_policies"))
            .where(SQLColumn("client_id", table: "authz_policies"), .equal, SQLBind(clientId)).all()
        var found: [String: [String]] = [:]
        for row in rows { found[try row.decode(column: "policy_id", as: String.self), default: []].append(try row.decode(column: column, as: String.self)) }
        return found.mapValues { $0.sorted() }
    }

    private func orderedUnique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}
