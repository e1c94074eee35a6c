import SQLKit
import Storage

extension ChangeNotifier {
    /// The one way to change state that nodes cache (users, keys, clients, realms, products): `body` runs in one
    /// transaction that also announces the change to every node — PostgreSQL delivers the announcement on commit,
    /// never on rollback — and this node's caches are told once it has committed.
    public func commit<T: Sendable>(in database: any Database, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await database.transaction { sql in
            let value = try await body(sql)
            try await database.announceChange(on: sql)
            return value
        }
        notify()
        return result
    }
}
