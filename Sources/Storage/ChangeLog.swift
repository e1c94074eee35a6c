import SQLKit

/// Where use cases change state that nodes cache (users, keys, clients, realms, products): `commit` runs the change in
/// one transaction that also announces it to every node — PostgreSQL delivers the announcement on commit, never on
/// rollback — and tells this node's caches once it has committed. The one helper for that, so no change forgets it.
public struct ChangeLog: Sendable {
    public let database: any Database
    let notifier: ChangeNotifier

    public init(database: any Database, notifier: ChangeNotifier) {
        self.database = database
        self.notifier = notifier
    }

    public func commit<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let database = self.database
        let result = try await database.transaction { sql in
            let value = try await body(sql)
            try await database.announceChange(on: sql)
            return value
        }
        notifier.notify()
        return result
    }

    /// Like `commit`, for a change that only sometimes touches what nodes cache: the body says whether it did, and
    /// only then is it announced (a federated user's first token writes a row no cache holds; a change of their roles
    /// must reach the PSK caches).
    public func commit<T: Sendable>(announcingIf body: @Sendable (any SQLDatabase) async throws -> (value: T, announce: Bool)) async throws -> T {
        let database = self.database
        let (value, announced) = try await database.transaction { sql in
            let (value, announce) = try await body(sql)
            if announce { try await database.announceChange(on: sql) }
            return (value, announce)
        }
        if announced { notifier.notify() }
        return value
    }

    /// Reads committed state as of one moment, across many statements (an export): one read-only transaction, on
    /// PostgreSQL at REPEATABLE READ so every statement sees the same snapshot (SQLite's transactions always do).
    public func snapshot<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.transaction { sql in
            if sql.dialect.name == "postgresql" { try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run() }
            return try await body(sql)
        }
    }

    /// Reads committed state (what a use case checks before it changes anything that needs no lock).
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.read(body)
    }
}
