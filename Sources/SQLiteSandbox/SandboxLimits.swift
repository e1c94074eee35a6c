import Synchronization
internal import SystemSQLite

/// The bounds of the SQLite sandbox (docs/security.md): how long a statement may run, how big one value and one page
/// may be, and how much memory the warehouse's SQLite may hold in all (process-wide: this SQLite serves only the
/// warehouse; the system database runs on SQLiteNIO's own copy).
public struct SandboxLimits: Sendable {
    /// How long one statement may run.
    public var timeout: Duration
    /// The largest string or blob a statement may make or return (`SQLITE_LIMIT_LENGTH`).
    public var valueBytes: Int32
    /// The most bytes of values one result may hold.
    public var pageBytes: Int
    /// The most memory the warehouse's SQLite may allocate, all connections together (`sqlite3_hard_heap_limit64`).
    public var heapBytes: Int64

    public init(timeout: Duration, pageBytes: Int, heapBytes: Int64 = 32 << 20) {
        self.timeout = timeout
        self.valueBytes = Int32(clamping: pageBytes)
        self.pageBytes = pageBytes
        self.heapBytes = heapBytes
    }

    /// The longest LIKE or GLOB pattern (`SQLITE_LIMIT_LIKE_PATTERN_LENGTH`).
    static let likePatternBytes: Int32 = 1_000

    private static let heapLimitApplied = Atomic<Bool>(false)

    /// `sqlite3_hard_heap_limit64` belongs to the library, not a connection: set it once.
    static func applyHeapLimitOnce(_ bytes: Int64) {
        guard heapLimitApplied.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        sqlite3_hard_heap_limit64(bytes)
    }
}

/// A parameter of a sandboxed statement (filter values).
public enum SandboxBind: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case real(Double)

    /// The binds SQLKit's serializer collected; anything else is a bug of ours, not the caller's.
    public static func from(_ value: any Encodable & Sendable) throws(SandboxError) -> SandboxBind {
        switch value {
        case let text as String: .text(text)
        case let integer as Int: .integer(integer)
        case let real as Double: .real(real)
        case let boolean as Bool: .integer(boolean ? 1 : 0)
        default: throw SandboxError.query("Unsupported parameter type \(type(of: value))")
        }
    }
}

/// Why the sandbox did not return rows.
public enum SandboxError: Error, Equatable {
    /// SQLite refused or stopped the statement (syntax, not allowed, deadline, memory); the message says why.
    case query(String)
    /// The rows hold more than `limit` bytes.
    case tooLarge(limit: Int)
    /// The warehouse file cannot be opened.
    case unavailable
}
