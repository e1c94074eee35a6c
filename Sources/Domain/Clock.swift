import Foundation

/// Wall-clock time in epoch seconds, injected so tests can move time without sleeping.
public struct EpochClock: Sendable {
    private let read: @Sendable () -> Int

    public init(_ read: @escaping @Sendable () -> Int) { self.read = read }

    public var now: Int { read() }

    public static let system = EpochClock { Int(Date().timeIntervalSince1970) }
}
