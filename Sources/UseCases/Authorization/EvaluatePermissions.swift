import Domain
import SQLKit
import Storage

/// The policy decision behind the `uma-ticket` grant: what a user (or service account) may do on a resource server,
/// decided from storage at the moment of asking — the user's roles and groups as they are now, not as an older token
/// says.
public struct EvaluatePermissions: Sendable {
    let database: any Database
    let clock: EpochClock

    public init(database: any Database, clock: EpochClock) { (self.database, self.clock) = (database, clock) }

    /// A permission as a request names it (`resource#scope1,scope2`): the resource by id or name (nil: whichever
    /// resources offer the scopes), the scopes by name or id.
    public struct Asked: Sendable, Equatable {
        public var resource: String?
        public var scopes: [String]

        public init(resource: String?, scopes: [String]) { (self.resource, self.scopes) = (resource, scopes) }
    }

    public enum Failure: Error, Equatable {
        /// The audience is no client of the realm, or has no authorization services.
        case notAResourceServer
        case unknownResource(String)
        case unknownScope(String)
        /// More to evaluate at once than one request may ask (`PolicyEvaluator.workLimit`).
        case tooLarge
    }

    public struct Decision: Sendable {
        public var granted: [GrantedPermission]
        /// Every asked-for permission was granted, with every scope it named (nothing asked: something was granted).
        public var complete: Bool
    }

    /// What `userId`, signed in through the client `requester` (a `clientId`), may do on `audience`'s resources.
    public func callAsFunction(realm: String, audience: String, userId: String, requester: String?, asked: [Asked]) async throws -> Decision {
        let now = clock.now
        return try await database.read { sql in
            guard let server = try await ClientStore(sql).find(realm: realm, clientId: audience)?.client, server.enabled else {
                throw Failure.notAResourceServer
            }
            let store = AuthorizationStore(sql, clientId: server.id)
            guard let settings = try await store.settings() else { throw Failure.notAResourceServer }
            let (resources, scopes, policies) = (try await store.resources(), try await store.scopes(), try await store.policies())
            let requests = try Self.requests(asked, resources: resources, scopes: scopes)
            let groups = GroupStore(sql)
            let direct = try await groups.groups(ofUser: userId).map(\.id)
            var requesterId: String?
            if let requester { requesterId = try await ClientStore(sql).find(realm: realm, clientId: requester)?.client.id }
            let identity = AuthorizationIdentity(
                userId: userId, clientId: requesterId, roleIds: Set(try await EffectiveRoles.read(userId: userId, on: sql).all.map(\.id)),
                groupIds: Set(direct), groupLineage: Set(try await groups.withAncestors(direct)))
            let granted: [GrantedPermission]
            do {
                granted = try PolicyEvaluator(settings: settings, resources: resources, scopes: scopes, policies: policies)
                    .evaluate(requests, for: identity, at: now)
            } catch {
                throw Failure.tooLarge
            }
            return Decision(granted: granted, complete: Self.covers(granted, requests))
        }
    }

    static func requests(_ asked: [Asked], resources: [ProtectedResource], scopes: [AuthorizationScope]) throws -> [PermissionRequest] {
        try asked.map { permission in
            let scopeIds = try permission.scopes.map { reference in
                guard let scope = scopes.first(where: { $0.name == reference }) ?? scopes.first(where: { $0.id == reference }) else {
                    throw Failure.unknownScope(reference)
                }
                return scope.id
            }
            guard let reference = permission.resource else { return PermissionRequest(resourceId: nil, scopeIds: scopeIds) }
            guard let resource = resources.first(where: { $0.id == reference }) ?? resources.first(where: { $0.name == reference }) else {
                throw Failure.unknownResource(reference)
            }
            return PermissionRequest(resourceId: resource.id, scopeIds: scopeIds)
        }
    }

    static func covers(_ granted: [GrantedPermission], _ requests: [PermissionRequest]) -> Bool {
        guard !requests.isEmpty else { return !granted.isEmpty }
        return requests.allSatisfy { request in
            guard let id = request.resourceId else {
                let grantedScopes = Set(granted.flatMap { $0.scopes.map(\.id) })
                return request.scopeIds.allSatisfy(grantedScopes.contains)
            }
            guard let found = granted.first(where: { $0.resource.id == id }) else { return false }
            return Set(request.scopeIds).isSubset(of: Set(found.scopes.map(\.id)))
        }
    }
}
