import Domain
import SQLKit
import Storage
import Tokens

/// Each client's `ClaimPlan` — its scopes' mappers and its own, their configuration read once — cached between token
/// requests like clients and service accounts: any change empties it on every node, so a new mapper shows in the next
/// token. A token request then runs the plan and reads nothing more (a group-membership mapper reads the user's groups).
public struct ClientClaimPlans: Sendable {
    let database: any Database
    let cache: ExpiringCache<ClaimPlan>

    public init(database: any Database, clock: EpochClock, notifier: ChangeNotifier, cacheSeconds: Int) {
        self.database = database
        self.cache = ExpiringCache(clock: clock, maxAge: cacheSeconds)
        let cache = self.cache
        notifier.register { cache.removeAll() }
    }

    public func plan(of client: Client) async throws -> ClaimPlan {
        try await cache.value(client.id) {
            try await database.read { sql in try await Self.load(clientId: client.id, on: sql) }
        } ?? ClaimPlan(defaultScopes: [], optionalScopes: [], clientMappers: [])
    }

    /// The user's groups by path, for a plan that maps them.
    public func groupPaths(userId: String) async throws -> [String] {
        try await database.read { sql in try await GroupStore(sql).groups(ofUser: userId).map(\.path).sorted() }
    }

    static func load(clientId: String, on sql: any SQLDatabase) async throws -> ClaimPlan {
        let scopes = ClientScopeStore(sql), mappers = ProtocolMapperStore(sql)
        let defaults = try await scopes.clientScopes(clientId: clientId, kind: .default)
        let optional = try await scopes.clientScopes(clientId: clientId, kind: .optional)
        var byScope: [String: [ProtocolMapper]] = [:]
        for (scopeId, mapper) in try await mappers.all(ofScopes: (defaults + optional).map(\.id)) { byScope[scopeId, default: []].append(mapper) }
        return ClaimPlan(
            defaultScopes: defaults.map { ($0, byScope[$0.id] ?? []) }, optionalScopes: optional.map { ($0, byScope[$0.id] ?? []) },
            clientMappers: try await mappers.all(owner: .client(clientId)))
    }
}
