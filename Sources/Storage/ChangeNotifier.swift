import Synchronization

/// Fans a "something changed" signal out to every in-process cache. Changes made through this node call `notify()`
/// directly; changes announced by other nodes (PostgreSQL NOTIFY) arrive through the server's change listener.
public final class ChangeNotifier: Sendable {
    private let handlers = Mutex<[@Sendable () -> Void]>([])

    public init() {}

    public func register(_ handler: @escaping @Sendable () -> Void) {
        handlers.withLock { $0.append(handler) }
    }

    public func notify() {
        for handler in handlers.withLock({ $0 }) { handler() }
    }
}
