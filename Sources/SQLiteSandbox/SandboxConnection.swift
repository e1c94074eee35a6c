import Domain
import Foundation
import Synchronization
internal import SystemSQLite

/// One connection of the SQLite sandbox: the warehouse file opened read-only through the system's SQLite, with
/// `SandboxPolicy` as its authorizer, SQLite's progress handler ending any statement at its deadline, and length
/// limits on every value. It runs one statement at a time, on a thread of the warehouse's own pool (`SandboxPool`
/// hands it out), so its mutable state is never shared.
final class SandboxConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private let watch: StatementWatch
    private let limits: SandboxLimits
    /// The guards of the functions a deadline cannot stop; they live as long as the connection that calls them.
    private var functions: BoundedFunctions?

    private init(handle: OpaquePointer, watch: StatementWatch, limits: SandboxLimits) {
        self.handle = handle
        self.watch = watch
        self.limits = limits
    }

    deinit {
        sqlite3_close_v2(handle)
        functions = nil
    }

    /// Ends the statement this connection runs now, from any thread (`sqlite3_interrupt` is the one call SQLite allows so).
    func interrupt() { sqlite3_interrupt(handle) }

    /// Opens `path` read-only, applies the limits, learns the readable tables, then installs the callbacks.
    static func open(path: String, limits: SandboxLimits) throws -> SandboxConnection {
        SandboxLimits.applyHeapLimitOnce(limits.heapBytes)
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle = opened else {
            if let opened { sqlite3_close_v2(opened) }
            throw SandboxError.unavailable
        }
        let connection = SandboxConnection(handle: handle, watch: StatementWatch(), limits: limits)
        // Sorts and temporary b-trees stay in memory, under the heap limit, instead of growing files on disk.
        try connection.execute("PRAGMA temp_store = MEMORY")
        try connection.execute("PRAGMA trusted_schema = OFF")
        sqlite3_busy_timeout(handle, 1_000)
        sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, limits.valueBytes)
        sqlite3_limit(handle, SQLITE_LIMIT_SQL_LENGTH, 1_000_000)
        sqlite3_limit(handle, SQLITE_LIMIT_ATTACHED, 0)
        // LIKE and GLOB work in one function call that the progress handler cannot interrupt; short patterns keep it brief.
        sqlite3_limit(handle, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, SandboxLimits.likePatternBytes)
        sqlite3_limit(handle, SQLITE_LIMIT_VDBE_OP, SandboxLimits.programOperations)
        let watch = connection.watch
        let functions = try BoundedFunctions(valueBytes: limits.valueBytes, likePatternBytes: SandboxLimits.likePatternBytes) { watch.shouldStop() }
        try functions.install(on: handle)
        connection.functions = functions
        try connection.learnReadableTables()
        let context = Unmanaged.passUnretained(connection.watch).toOpaque()
        sqlite3_set_authorizer(handle, SandboxConnection.authorize, context)
        sqlite3_progress_handler(handle, 1_000, SandboxConnection.progress, context)
        return connection
    }

    /// Runs one statement and returns its rows, at most `maximumRows` of them, reading only tables in `scope` (all when
    /// nil). A statement the policy denies, one past its deadline, a value or a page over its byte limit, or one that
    /// needs more memory than the heap limit: `SandboxError`.
    func run(_ sql: String, binds: [SandboxBind], maximumRows: Int, scope: Set<String>?, cancellation: SandboxCancellation) throws -> ResultSet {
        watch.policy.scope = scope
        do {
            return try runOnce(sql, binds: binds, maximumRows: maximumRows, cancellation: cancellation)
        } catch SandboxError.query where watch.deniedUnknownTable {
            // A table created since the connection opened is readable once we know of it.
            try learnReadableTables()
            return try runOnce(sql, binds: binds, maximumRows: maximumRows, cancellation: cancellation)
        }
    }

    private func runOnce(_ sql: String, binds: [SandboxBind], maximumRows: Int, cancellation: SandboxCancellation) throws -> ResultSet {
        watch.begin(deadline: .now + limits.timeout, cancellation: cancellation)
        var prepared: OpaquePointer?
        var trailing = false
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(handle, text, -1, &prepared, &tail)
            // `tail` points into `text`, which lives only inside this closure.
            trailing = tail.map { !String(cString: $0).allSatisfy(\.isWhitespace) } ?? false
            return code
        }
        guard code == SQLITE_OK, let statement = prepared else { throw failure(code, compiling: true) }
        defer { sqlite3_finalize(statement) }
        guard !trailing else { throw SandboxError.query("Only one statement may run") }
        for (offset, bind) in binds.enumerated() {
            let index = Int32(offset + 1)
            let bound: Int32 =
                switch bind {
                case .text(let text): sqlite3_bind_text(statement, index, text, -1, SandboxConnection.transient)
                case .integer(let value): sqlite3_bind_int64(statement, index, Int64(value))
                case .real(let value): sqlite3_bind_double(statement, index, value)
                }
            guard bound == SQLITE_OK else { throw failure(bound) }
        }
        let count = sqlite3_column_count(statement)
        // A name is NULL only when SQLite could not allocate it (the heap limit): then it is nameless, not a crash.
        let columns = (0..<count).map { column in sqlite3_column_name(statement, column).map { String(cString: $0) } ?? "" }
        var rows: [[Cell]] = []
        var bytes = 0
        while rows.count < maximumRows {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw failure(step) }
            var row: [Cell] = []
            row.reserveCapacity(Int(count))
            for column in 0..<count {
                let (cell, size) = Self.cell(statement, column)
                row.append(cell)
                bytes += size
            }
            guard bytes <= limits.pageBytes else { throw SandboxError.tooLarge(limit: limits.pageBytes) }
            rows.append(row)
        }
        return ResultSet(columns: columns, rows: rows)
    }

    /// The value and about what it costs to hold and send (bytes of text; blobs are sent as hex).
    private static func cell(_ statement: OpaquePointer, _ column: Int32) -> (Cell, Int) {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return (.integer(Int(sqlite3_column_int64(statement, column))), 8)
        case SQLITE_FLOAT: return (.real(sqlite3_column_double(statement, column)), 8)
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let text = sqlite3_column_text(statement, column) else { return (.text(""), 0) }
            return (.text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)), count)
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let blob = sqlite3_column_blob(statement, column) else { return (.text(""), 0) }
            return (.text(Hex.encode(UnsafeRawBufferPointer(start: blob, count: count))), count * 2)
        default: return (.null, 1)
        }
    }

    /// Why SQLite stopped, said so that the author of the SQL can act on it. While compiling, running out of memory
    /// is almost always the program-size limit.
    private func failure(_ code: Int32, compiling: Bool = false) -> SandboxError {
        if watch.timedOut || watch.cancellation?.reason == .deadline { return .query("The query ran longer than \(limits.timeout.shortText)") }
        if watch.cancellation?.reason == .cancelled { return .query("The query was cancelled") }
        if let denial = watch.denial { return .query("Not allowed: \(denial)") }
        switch code & 0xff {
        case SQLITE_INTERRUPT: return .query("The query was cancelled")
        case SQLITE_TOOBIG: return .query("A value is larger than \(limits.valueBytes >> 20) MiB")
        case SQLITE_NOMEM where compiling:
            return .query("The query is too large to run here: it compiles to more than \(SandboxLimits.programOperations) steps")
        case SQLITE_NOMEM: return .query("The query needs more memory than the warehouse allows (\(limits.heapBytes >> 20) MiB)")
        default: return .query(String(cString: sqlite3_errmsg(handle)))
        }
    }

    /// Our own statements (settings, the table list) run before the authorizer is installed or while it trusts us.
    private func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw SandboxError.query(String(cString: sqlite3_errmsg(handle))) }
    }

    private func learnReadableTables() throws {
        watch.trusted = true
        defer { watch.trusted = false }
        var prepared: OpaquePointer?
        let sql = "SELECT lower(name) FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        guard sqlite3_prepare_v2(handle, sql, -1, &prepared, nil) == SQLITE_OK, let statement = prepared else { throw failure(SQLITE_ERROR) }
        defer { sqlite3_finalize(statement) }
        var names: Set<String> = []
        while sqlite3_step(statement) == SQLITE_ROW {
            if let name = sqlite3_column_text(statement, 0) { names.insert(String(cString: name)) }
        }
        watch.policy = SandboxPolicy(readable: names, scope: watch.policy.scope)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// SQLite's authorizer: asks the policy about each thing a statement being compiled would do.
    private static let authorize:
        @convention(c) (
            UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?
        ) -> Int32 = { context, action, first, second, schema, _ in
            let watch = Unmanaged<StatementWatch>.fromOpaque(context!).takeUnretainedValue()
            if watch.trusted { return SQLITE_OK }
            if action == SQLITE_FUNCTION {
                watch.functionCalls += 1
                guard watch.functionCalls <= SandboxLimits.functionCalls else {
                    if watch.denial == nil { watch.denial = "the query calls functions more than \(SandboxLimits.functionCalls) times" }
                    return SQLITE_DENY
                }
            }
            let text = { (pointer: UnsafePointer<CChar>?) in pointer.map { String(cString: $0) } ?? "" }
            let request: SandboxPolicy.Request =
                switch action {
                case SQLITE_SELECT: .select
                case SQLITE_READ: .read(table: text(first), column: text(second), schema: text(schema))
                case SQLITE_FUNCTION: .function(text(second))
                case SQLITE_RECURSIVE: .recursive
                default: .other(actionName(action))
                }
            switch watch.policy.decide(request) {
            case .allow: return SQLITE_OK
            case .deny(let reason):
                // The first denial explains; recursion explains better than the read of its own name that precedes it.
                if watch.denial == nil || request == .recursive { watch.denial = reason }
                if case .read(let table, _, _) = request, !watch.policy.readable.contains(table.lowercased()) { watch.deniedUnknownTable = true }
                return SQLITE_DENY
            }
        }

    /// SQLite's progress handler: every thousand virtual-machine steps, a non-zero answer ends the statement.
    private static let progress: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
        let watch = Unmanaged<StatementWatch>.fromOpaque(context!).takeUnretainedValue()
        return watch.shouldStop() ? 1 : 0
    }

    private static func actionName(_ action: Int32) -> String {
        switch action {
        case SQLITE_PRAGMA: "PRAGMA"
        case SQLITE_ATTACH, SQLITE_DETACH: "ATTACH/DETACH"
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT: "a transaction statement"
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE: "writing"
        case SQLITE_CREATE_VTABLE, SQLITE_DROP_VTABLE: "a virtual table"
        default: "changing the database (action \(action))"
        }
    }
}

/// What the C callbacks of one connection read and write while a statement compiles and runs. Only the connection's
/// current thread touches it; the request's task reaches it only through `SandboxCancellation`.
private final class StatementWatch: @unchecked Sendable {
    var policy = SandboxPolicy(readable: [])
    var trusted = false
    var denial: String?
    var deniedUnknownTable = false
    var timedOut = false
    /// Function calls in the statement being compiled.
    var functionCalls = 0
    private(set) var cancellation: SandboxCancellation?
    private var deadline = ContinuousClock.now

    func begin(deadline: ContinuousClock.Instant, cancellation: SandboxCancellation) {
        self.deadline = deadline
        self.cancellation = cancellation
        denial = nil
        deniedUnknownTable = false
        timedOut = false
        functionCalls = 0
    }

    func shouldStop() -> Bool {
        if ContinuousClock.now >= deadline { timedOut = true }
        return timedOut || cancellation?.reason != nil
    }
}

/// Why a running statement must stop, set from outside its thread: the request's task was cancelled (the client went
/// away), or the watchdog found it past its deadline inside one long function call. The progress handler and
/// `sqlite3_interrupt` then end it.
final class SandboxCancellation: Sendable {
    enum Reason: Int {
        case cancelled = 1
        case deadline = 2
    }

    private let value = Atomic<Int>(0)

    func stop(_ reason: Reason) { value.store(reason.rawValue, ordering: .relaxed) }
    var reason: Reason? { Reason(rawValue: value.load(ordering: .relaxed)) }
}
