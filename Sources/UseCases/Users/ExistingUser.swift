import Domain
import SQLKit
import Storage

extension ChangeLog {
    /// One transaction on a user of the realm that exists; `User not found` (404) otherwise, before `change` runs.
    func commit<T: Sendable>(
        onUser userId: String, realm: String, _ change: @Sendable (User, any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await commit { sql in
            guard let user = try await UserStore(sql).find(realm: realm, id: userId) else { throw AdministrationError.notFound(.user) }
            return try await change(user, sql)
        }
    }
}
