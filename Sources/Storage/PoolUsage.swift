import Synchronization

/// How a database's connections are used right now, for the `/metrics` pool gauges.
public struct PoolStatistics: Sendable, Equatable {
    /// Connections lent to an operation.
    public var inUse: Int
    /// Connections the pool could lend at once without anyone waiting (its maximum minus those in use).
    public var idle: Int
    /// Operations waiting for a connection.
    public var waiting: Int

    public init(inUse: Int, idle: Int, waiting: Int) {
        self.inUse = inUse
        self.idle = idle
        self.waiting = waiting
    }

    static func + (lhs: Self, rhs: Self) -> Self {
        Self(inUse: lhs.inUse + rhs.inUse, idle: lhs.idle + rhs.idle, waiting: lhs.waiting + rhs.waiting)
    }
}

/// Counts operations on a set of `capacity` connections: those that asked and those that hold one. Two atomic
/// additions per operation, so the hot paths pay next to nothing for the gauges.
final class ConnectionLane: Sendable {
    let capacity: Int
    private let asked = Atomic<Int>(0)
    private let holding = Atomic<Int>(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Brackets a whole operation, waiting included.
    func asking<T>(_ body: () async throws -> T) async rethrows -> T {
        asked.add(1, ordering: .relaxed)
        defer { asked.subtract(1, ordering: .relaxed) }
        return try await body()
    }

    /// Brackets the part of an operation that holds a connection.
    func holding<T>(_ body: () async throws -> T) async rethrows -> T {
        holding.add(1, ordering: .relaxed)
        defer { holding.subtract(1, ordering: .relaxed) }
        return try await body()
    }

    /// Operations beyond the capacity queue on a shared connection (SQLite's reader): they count as waiting.
    var statistics: PoolStatistics {
        let holding = max(0, holding.load(ordering: .relaxed))
        let asked = max(holding, asked.load(ordering: .relaxed))
        let inUse = min(holding, capacity)
        return PoolStatistics(inUse: inUse, idle: capacity - inUse, waiting: asked - inUse)
    }
}
