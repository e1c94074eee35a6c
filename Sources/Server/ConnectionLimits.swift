import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// How long a connection may sit idle or take to send a request, and how many may be open at once, so that slow or
/// half-open connections cannot use up the process's file descriptors (docs/deployment.md "Connections").
public struct ConnectionLimits: Sendable, Equatable {
    /// No byte of a request for this long (also: a request head not finished within it) closes the connection.
    public var idleTimeout: Duration = .seconds(30)
    /// A request's body must have arrived this long after its head.
    public var requestTimeout: Duration = .seconds(60)
    /// Open connections at most; nil: derived from the file-descriptor limit.
    public var maximumConnections: Int?

    public init() {}

    /// File descriptors kept for everything else: database and warehouse pools, SQLite files, logs.
    static let reservedDescriptors = 256

    /// The connection cap: the configured one, else what the file-descriptor limit leaves after the reserve (16 at
    /// least, 10,000 at most).
    public var resolvedMaximumConnections: Int {
        if let maximumConnections { return maximumConnections }
        return min(10_000, max(16, Self.descriptorLimit() - Self.reservedDescriptors))
    }

    /// Raises the soft file-descriptor limit to the hard one (as Go's runtime and nginx's `worker_rlimit_nofile`
    /// do), and returns it.
    @discardableResult
    public static func raiseDescriptorLimit() -> Int {
        #if canImport(Glibc)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        #endif
        return descriptorLimit()
    }

    static func descriptorLimit() -> Int {
        #if canImport(Glibc)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)
        #else
        return 1024
        #endif
    }

    /// The HTTP/1.1 channel with the idle timeout and the request deadline.
    var http1: HTTP1Channel.Configuration {
        let deadline = TimeAmount(requestTimeout)
        return HTTP1Channel.Configuration(additionalChannelHandlers: [RequestDeadlineHandler(deadline: deadline)], idleTimeout: TimeAmount(idleTimeout))
    }
}
