import Synchronization

/// Whether this node is on its way out. Set when SIGTERM arrives, read by `/health/ready`: load balancers stop sending
/// new work during the drain while the requests they already sent are still answered (operations.md).
public final class ServingState: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    public func beginDraining() { draining.store(true, ordering: .relaxed) }
}
