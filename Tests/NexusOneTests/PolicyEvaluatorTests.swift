import Domain
import Testing

/// Keycloak's policy decision point without a server: how policies, permissions and the resource server's strategy and
/// enforcement mode decide, and when a time window holds.
@Suite("Authorization services: policy evaluation")
struct PolicyEvaluatorTests {
    static let read = AuthorizationScope(id: "s-read", name: "read")
    static let write = AuthorizationScope(id: "s-write", name: "write")
    static let reports = ProtectedResource(id: "r-reports", name: "Reports", type: "urn:app:report", scopeIds: ["s-read", "s-write"])
    static let admin = ProtectedResource(id: "r-admin", name: "Admin", type: "urn:app:admin")
    static let analyst = AuthorizationPolicy(id: "p-analyst", name: "analysts", type: .role, conditions: .init(roles: [RoleCondition(roleId: "role-analyst")]))
    static let ida = AuthorizationIdentity(userId: "u-ida", clientId: "c-app", roleIds: ["role-analyst"], groupIds: ["g-team"], groupLineage: ["g-team", "g-org"])
    static let bo = AuthorizationIdentity(userId: "u-bo", clientId: "c-app", roleIds: [], groupIds: [], groupLineage: [])
    static let now = 1_765_000_000  // 2025-12-06 05:46:40 UTC

    static func evaluator(_ policies: [AuthorizationPolicy], settings: ResourceServerSettings = .init()) -> PolicyEvaluator {
        PolicyEvaluator(settings: settings, resources: [reports, admin], scopes: [read, write], policies: policies)
    }

    static func names(_ granted: [GrantedPermission]) -> [String] {
        granted.map { permission in ([permission.resource.name] + permission.scopes.map(\.name)).joined(separator: "#") }
    }

    @Test("A resource permission grants its resource with every scope to whom its policy grants, and nobody else")
    func resourcePermission() throws {
        let permission = AuthorizationPolicy(id: "perm", name: "reports", type: .resource, resourceIds: ["r-reports"], policyIds: ["p-analyst"])
        let evaluator = Self.evaluator([Self.analyst, permission])
        #expect(try Self.names(evaluator.evaluate([], for: Self.ida, at: Self.now)) == ["Reports#read#write"])
        #expect(try evaluator.evaluate([], for: Self.bo, at: Self.now).isEmpty)
    }

    @Test("Enforcing denies what no permission names; permissive allows it; disabled allows everything")
    func enforcementModes() throws {
        let permission = AuthorizationPolicy(id: "perm", name: "reports", type: .resource, resourceIds: ["r-reports"], policyIds: ["p-analyst"])
        let asked = [PermissionRequest(resourceId: "r-admin")]
        #expect(try Self.evaluator([Self.analyst, permission]).evaluate(asked, for: Self.bo, at: Self.now).isEmpty)
        #expect(try Self.names(Self.evaluator([Self.analyst, permission], settings: .init(enforcementMode: .permissive)).evaluate(asked, for: Self.bo, at: Self.now)) == ["Admin"])
        #expect(try Self.names(Self.evaluator([Self.analyst, permission], settings: .init(enforcementMode: .disabled)).evaluate([], for: Self.bo, at: Self.now)).count == 2)
    }

    @Test("A permission without policies denies, even in a permissive server")
    func emptyPermissionDenies() throws {
        let permission = AuthorizationPolicy(id: "perm", name: "reports", type: .resource, resourceIds: ["r-reports"])
        #expect(try Self.evaluator([permission], settings: .init(enforcementMode: .permissive)).evaluate([PermissionRequest(resourceId: "r-reports")], for: Self.ida, at: Self.now).isEmpty)
    }

    @Test("Scope permissions grant only their scopes; negative logic turns a policy round")
    func scopesAndNegation() throws {
        let notAnalyst = AuthorizationPolicy(id: "p-not", name: "not analysts", type: .role, logic: .negative, conditions: .init(roles: [RoleCondition(roleId: "role-analyst")]))
        let readPermission = AuthorizationPolicy(id: "perm-read", name: "read", type: .scope, scopeIds: ["s-read"], policyIds: ["p-analyst"])
        let writePermission = AuthorizationPolicy(id: "perm-write", name: "write", type: .scope, resourceIds: ["r-reports"], scopeIds: ["s-write"], policyIds: ["p-not"])
        let evaluator = Self.evaluator([Self.analyst, notAnalyst, readPermission, writePermission])
        #expect(try Self.names(evaluator.evaluate([], for: Self.ida, at: Self.now)) == ["Reports#read"])
        #expect(try Self.names(evaluator.evaluate([], for: Self.bo, at: Self.now)) == ["Reports#write"])
        #expect(try Self.names(evaluator.evaluate([PermissionRequest(resourceId: nil, scopeIds: ["s-read"])], for: Self.ida, at: Self.now)) == ["Reports#read"])
    }

    @Test("The server's strategy combines the permissions on one resource: unanimous needs all, affirmative one")
    func serverStrategy() throws {
        let byUser = AuthorizationPolicy(id: "p-bo", name: "bo", type: .user, conditions: .init(users: ["u-bo"]))
        let first = AuthorizationPolicy(id: "perm-1", name: "one", type: .resource, resourceIds: ["r-admin"], policyIds: ["p-analyst"])
        let second = AuthorizationPolicy(id: "perm-2", name: "two", type: .resource, conditions: .init(resourceType: "urn:app:admin"), policyIds: ["p-bo"])
        let asked = [PermissionRequest(resourceId: "r-admin")]
        #expect(try Self.evaluator([Self.analyst, byUser, first, second]).evaluate(asked, for: Self.ida, at: Self.now).isEmpty)
        let affirmative = Self.evaluator([Self.analyst, byUser, first, second], settings: .init(decisionStrategy: .affirmative))
        #expect(try Self.names(affirmative.evaluate(asked, for: Self.ida, at: Self.now)) == ["Admin"])
        #expect(try Self.names(affirmative.evaluate(asked, for: Self.bo, at: Self.now)) == ["Admin"])
    }

    @Test("Role policies need every required role; group policies reach subgroups only when extended; aggregates combine")
    func policyKinds() throws {
        let required = AuthorizationPolicy(
            id: "p-req", name: "req", type: .role, conditions: .init(roles: [RoleCondition(roleId: "role-analyst"), RoleCondition(roleId: "role-auditor", required: true)]))
        let orgOnly = AuthorizationPolicy(id: "p-org", name: "org", type: .group, conditions: .init(groups: [GroupCondition(groupId: "g-org")]))
        let orgTree = AuthorizationPolicy(id: "p-tree", name: "tree", type: .group, conditions: .init(groups: [GroupCondition(groupId: "g-org", extendChildren: true)]))
        let client = AuthorizationPolicy(id: "p-client", name: "client", type: .client, conditions: .init(clients: ["c-app"]))
        let both = AuthorizationPolicy(id: "p-both", name: "both", type: .aggregate, decisionStrategy: .unanimous, policyIds: ["p-tree", "p-client"])
        for (policy, granted) in [(required, false), (orgOnly, false), (orgTree, true), (both, true)] {
            let permission = AuthorizationPolicy(id: "perm", name: "perm", type: .resource, resourceIds: ["r-admin"], policyIds: [policy.id])
            let evaluator = Self.evaluator([required, orgOnly, orgTree, client, both, permission])
            #expect(try !evaluator.evaluate([PermissionRequest(resourceId: "r-admin")], for: Self.ida, at: Self.now).isEmpty == granted, "\(policy.name)")
        }
    }

    @Test("Negative logic over nothing grants nothing: a permission or aggregate without members denies")
    func negativeOverNothing() throws {
        let empty = AuthorizationPolicy(id: "perm", name: "perm", type: .resource, logic: .negative, resourceIds: ["r-admin"])
        #expect(try Self.evaluator([empty]).evaluate([], for: Self.bo, at: Self.now).isEmpty)
        let hollow = AuthorizationPolicy(id: "p-hollow", name: "hollow", type: .aggregate, logic: .negative, policyIds: ["p-deleted"])
        let permission = AuthorizationPolicy(id: "perm", name: "perm", type: .resource, resourceIds: ["r-admin"], policyIds: ["p-hollow"])
        #expect(try Self.evaluator([hollow, permission]).evaluate([], for: Self.bo, at: Self.now).isEmpty)
    }

    @Test("A resource server built to be expensive is refused, not evaluated for minutes")
    func workLimit() throws {
        let scopes = (0..<100).map { AuthorizationScope(id: "s\($0)", name: "s\($0)") }
        let resources = (0..<1000).map { ProtectedResource(id: "r\($0)", name: "r\($0)", scopeIds: scopes.map(\.id)) }
        let permissions = (0..<100).map { index in
            AuthorizationPolicy(id: "perm\(index)", name: "perm\(index)", type: .scope, scopeIds: scopes.map(\.id), policyIds: ["p-analyst"])
        }
        let evaluator = PolicyEvaluator(settings: .init(), resources: resources, scopes: scopes, policies: [Self.analyst] + permissions)
        #expect(throws: PolicyEvaluator.TooLarge.self) { try evaluator.evaluate([], for: Self.ida, at: Self.now) }
        // One resource of it is answered.
        #expect(try evaluator.evaluate([PermissionRequest(resourceId: "r1")], for: Self.ida, at: Self.now).first?.scopes.count == 100)
    }

    @Test("A loop of aggregates decides nothing rather than running forever")
    func aggregateLoop() throws {
        let a = AuthorizationPolicy(id: "p-a", name: "a", type: .aggregate, policyIds: ["p-b"])
        let b = AuthorizationPolicy(id: "p-b", name: "b", type: .aggregate, policyIds: ["p-a"])
        let permission = AuthorizationPolicy(id: "perm", name: "perm", type: .resource, resourceIds: ["r-admin"], policyIds: ["p-a"])
        #expect(try Self.evaluator([a, b, permission]).evaluate([], for: Self.ida, at: Self.now).isEmpty)
    }

    @Test("Time windows: instants, spans of hours, single values, in UTC; bad fields are refused")
    func timeWindows() throws {
        let office = try TimeWindow(fields: ["hour": "9", "hourEnd": "17"])
        #expect(office.contains(epoch: 1_765_011_600))  // 09:00 UTC
        #expect(!office.contains(epoch: Self.now))  // 05:46 UTC
        let december = try TimeWindow(fields: ["month": "12", "notBefore": "2025-12-01 00:00:00", "notOnOrAfter": "2026-01-01 00:00:00"])
        #expect(december.contains(epoch: Self.now))
        #expect(!december.contains(epoch: 1_767_225_600))  // 2026-01-01 00:00:00
        #expect(december.fields["notBefore"] == "2025-12-01 00:00:00")
        for bad in [["hour": "24"], ["hourEnd": "5"], ["hour": "9", "hourEnd": "8"], ["notBefore": "2025-02-30 00:00:00"], ["minute": "99999999999"], [:],
            ["notBefore": "\u{FF12}\u{FF10}\u{FF19}\u{FF19}-01-01 00:00:00"], ["hour": "+5"], ["hour": "\u{0665}"]] {
            #expect(throws: ValueError.self) { try TimeWindow(fields: bad) }
        }
    }
}
