import Synchronization
import Warehouse

/// Each realm's `TableScope`, kept until a change empties it. A scope loaded while a change happened is not kept
/// (the generation moved on), so a deleted domain can never live on in here.
final class RealmScopes: Sendable {
    private struct State {
        var scopes: [String: TableScope] = [:]
        var generation = 0
    }

    private let state = Mutex(State())

    var generation: Int { state.withLock { $0.generation } }

    func scope(of realm: String) -> TableScope? { state.withLock { $0.scopes[realm] } }

    func remember(_ scope: TableScope, of realm: String, loadedIn generation: Int) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.scopes.count >= 10_000 { state.scopes.removeAll() }
            state.scopes[realm] = scope
        }
    }

    func removeAll() {
        state.withLock { state in
            state.scopes.removeAll()
            state.generation += 1
        }
    }
}
