import Foundation

/// Wall-clock time in epoch seconds, injected so tests can move time without sleeping. Milliseconds are there for what
/// Keycloak stamps finer (login events), so events of one second keep their order.
public struct EpochClock: Sendable {
    private let read: @Sendable () -> Int
    private let readMilliseconds: @Sendable () -> Int

    /// `milliseconds` defaults to the start of `read`'s second.
    public init(_ read: @escaping @Sendable () -> Int, milliseconds: (@Sendable () -> Int)? = nil) {
        self.read = read
        self.readMilliseconds = milliseconds ?? { read().keycloakMilliseconds }
    }

    public var now: Int { read() }

    public var nowMilliseconds: Int { readMilliseconds() }

    public static let system = EpochClock({ Int(Date().timeIntervalSince1970) }, milliseconds: { Int(Date().timeIntervalSince1970 * 1_000) })
}
