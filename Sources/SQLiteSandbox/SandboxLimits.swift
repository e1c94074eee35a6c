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

    /// SQLite looks at its progress handler and at `sqlite3_interrupt` only when its program jumps: the work of one row
    /// between two jumps runs to its end. These bound that work — a program of at most this many operations
    /// (`SQLITE_LIMIT_VDBE_OP`; an ordinary query compiles to tens or hundreds) and at most `functionCalls` function
    /// calls in one statement — so that, with the guarded functions checking the deadline before each call
    /// (`BoundedFunctions`), a statement ends within a few seconds of its deadline whatever it holds (measured on
    /// 8 MiB values: 1.3 ms a comparison, up to 40 ms a linear function call).
    static let programOperations: Int32 = 20_000
    static let functionCalls = 100

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
