import Domain
import SQLKit
import Storage

/// Reads what a token says about a user: effective realm roles and client roles (composites expanded).
enum SubjectLoader {
    static func roles(of userId: String, on sql: any SQLDatabase) async throws -> (realm: [String], clients: [String: [String]]) {
        let roles = try await RoleStore(sql).effective(userId: userId)
        var clients: [String: [String]] = [:]
        for role in roles {
            guard let owner = role.clientId else { continue }
            guard let client = try await ClientStore(sql).find(realm: role.realm, id: owner) else { continue }
            clients[client.client.clientId, default: []].append(role.name)
        }
        return (roles.filter { $0.clientId == nil }.map(\.name).sorted(), clients.mapValues { $0.sorted() })
    }
}
