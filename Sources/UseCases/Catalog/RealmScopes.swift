import Synchronization
import Warehouses

/// Each realm's `TableScope`, kept until a change empties it, and for `maximumAge` at most: a change made through
/// this process or announced by another node (PostgreSQL) empties it at once; one made by the CLI beside a server on
/// SQLite, which nothing announces, is seen within `maximumAge`. A scope loaded while a change happened is not kept
/// (the generation moved on), so a deleted domain can never live on in here.
final class RealmScopes: Sendable {
    static let maximumAge = Duration.seconds(5)

    private struct State {
        var scopes: [String: (scope: TableScope, loadedAt: ContinuousClock.Instant)] = [:]
        var generation = 0
    }

    private let state = Mutex(State())

    var generation: Int { state.withLock { $0.generation } }

    func scope(of realm: String) -> TableScope? {
        state.withLock { state in
            guard let cached = state.scopes[realm], ContinuousClock.now - cached.loadedAt < Self.maximumAge else { return nil }
            return cached.scope
        }
    }

    func remember(_ scope: TableScope, of realm: String, loadedIn generation: Int) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.scopes.count >= 10_000 { state.scopes.removeAll() }
            state.scopes[realm] = (scope, .now)
        }
    }

    func removeAll() {
        state.withLock { state in
            state.scopes.removeAll()
            state.generation += 1
        }
    }
}
