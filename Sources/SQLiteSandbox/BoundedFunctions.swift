internal import SystemSQLite

/// SQLite's built-in functions whose one call can take time that grows with the product of two inputs' sizes.
///
/// Inside a function call no progress handler runs and `sqlite3_interrupt` is not looked at, so one such call outlives
/// any deadline: `instr` on 1.6 MB and 0.8 MB of text ran 14.7 s, `rtrim` on 200 kB and 100 kB 46 s. On every sandbox
/// connection each of them is replaced by a guard that refuses inputs whose sizes multiply past what the function gets
/// through in about half a second, and otherwise calls SQLite's own implementation on a private in-memory connection —
/// the same code, so the same answers (docs/decisions/0013-trust-second-round.md). Before each call the guard asks
/// whether the statement is past its deadline: many calls in one row, which no progress handler separates, stop there.
final class BoundedFunctions {
    /// One guarded function: its name, its argument count, and the product of its first two arguments' sizes (bytes ×
    /// bytes) that it works through in about half a second at worst on a 2-core machine of this kind (measured on
    /// SQLite 3.40: `instr` from 5·10⁹ in 0.04 s to 4.8·10¹⁰ in 0.6 s, depending on the text; `like` 1.8·10⁸ in 0.29 s;
    /// `glob` 1.9·10⁸ in 0.4 s; `ltrim` 2·10⁸ in 0.44 s; `json_patch` 10¹¹ in 1.3 s).
    struct Guarded: Sendable {
        let name: String
        let arguments: Int32
        let budget: Double
        var work: Work = .product

        /// How a call's work grows with its first two arguments' sizes `a` and `b`.
        enum Work: Sendable {
            /// a × b: every position of one against the other.
            case product
            /// (a + b) × b: `json_patch` also walks the whole patch again for every key it adds (SQLite 3.40's
            /// `jsonMergePatch` calls `jsonRemoveAllNulls` on it), so a big patch is quadratic on its own.
            case patch

            func of(_ a: Double, _ b: Double) -> Double {
                switch self {
                case .product: a * b
                case .patch: (a + b) * b
                }
            }
        }
    }

    static let guarded: [Guarded] = [
        Guarded(name: "instr", arguments: 2, budget: 2e10),
        Guarded(name: "replace", arguments: 3, budget: 2e10),
        Guarded(name: "like", arguments: 2, budget: 2e8),
        Guarded(name: "like", arguments: 3, budget: 2e8),
        Guarded(name: "glob", arguments: 2, budget: 2e8),
        Guarded(name: "trim", arguments: 2, budget: 2e8),
        Guarded(name: "ltrim", arguments: 2, budget: 2e8),
        Guarded(name: "rtrim", arguments: 2, budget: 2e8),
        Guarded(name: "unhex", arguments: 2, budget: 2e8),
        Guarded(name: "json_patch", arguments: 2, budget: 4e10, work: .patch),
    ]

    /// The allowed functions that need no guard, reviewed against SQLite's source: one call is at most linear in its
    /// inputs (the number of inputs is bounded by `SQLITE_LIMIT_FUNCTION_ARG`), or it works row by row, between which
    /// the progress handler runs. Every allowed function is in exactly one of this list and `guarded` (a test holds it).
    static let linear: Set<String> = [
        "abs", "char", "coalesce", "concat", "concat_ws", "format", "hex", "ifnull", "iif", "length", "likelihood", "likely", "lower",
        "max", "min", "nullif", "octet_length", "printf", "quote", "round", "sign", "soundex", "substr", "substring", "typeof", "unicode",
        "unlikely", "upper", "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff", "avg", "count", "group_concat",
        "string_agg", "sum", "total", "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
        "first_value", "last_value", "nth_value", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos",
        "cosh", "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt",
        "tan", "tanh", "trunc", "json", "json_array", "json_array_length", "json_extract", "json_insert", "json_object", "json_remove",
        "json_replace", "json_set", "json_type", "json_valid", "json_quote", "json_group_array", "json_group_object", "->", "->>",
    ]

    /// What the guard of one function needs in SQLite's C callback: the delegate's prepared statement and the budget.
    private final class Call {
        let guarded: Guarded
        let statement: OpaquePointer
        let delegate: OpaquePointer
        let shouldStop: () -> Bool

        init(guarded: Guarded, statement: OpaquePointer, delegate: OpaquePointer, shouldStop: @escaping () -> Bool) {
            self.guarded = guarded
            self.statement = statement
            self.delegate = delegate
            self.shouldStop = shouldStop
        }

        deinit { sqlite3_finalize(statement) }
    }

    private let delegate: OpaquePointer
    private var calls: [Call] = []

    /// Opens the private connection with the sandbox's value limits; functions this SQLite lacks (`unhex` before 3.41)
    /// are left alone. `shouldStop` says whether the statement calling a guard is past its deadline or cancelled.
    init(valueBytes: Int32, likePatternBytes: Int32, shouldStop: @escaping () -> Bool) throws {
        var opened: OpaquePointer?
        guard sqlite3_open_v2(":memory:", &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let opened else {
            if let opened { sqlite3_close_v2(opened) }
            throw SandboxError.unavailable
        }
        delegate = opened
        sqlite3_limit(delegate, SQLITE_LIMIT_LENGTH, valueBytes)
        sqlite3_limit(delegate, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, likePatternBytes)
        for guarded in Self.guarded {
            let placeholders = (1...guarded.arguments).map { "?\($0)" }.joined(separator: ", ")
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(delegate, "SELECT \(guarded.name)(\(placeholders))", -1, &statement, nil) == SQLITE_OK, let statement else {
                sqlite3_finalize(statement)
                continue
            }
            calls.append(Call(guarded: guarded, statement: statement, delegate: delegate, shouldStop: shouldStop))
        }
    }

    deinit {
        calls.removeAll()
        sqlite3_close_v2(delegate)
    }

    /// Replaces the built-ins on `handle` by their guards. Deterministic and innocuous as the built-ins are, so views
    /// that use them still work with `trusted_schema = OFF`.
    func install(on handle: OpaquePointer) throws {
        for call in calls {
            let code = sqlite3_create_function_v2(
                handle, call.guarded.name, call.guarded.arguments, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                Unmanaged.passUnretained(call).toOpaque(), Self.invoke, nil, nil, nil)
            guard code == SQLITE_OK else { throw SandboxError.unavailable }
        }
    }

    /// The guard: refuse inputs too large for one call, else bind the arguments to the delegate without copying them
    /// (they live until this callback returns) and hand back its answer or its error.
    private static let invoke: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, count, values in
        let call = Unmanaged<Call>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
        guard let values, count >= 2 else { return sqlite3_result_null(context) }
        guard !call.shouldStop() else {
            sqlite3_result_error(context, "interrupted", -1)
            return sqlite3_result_error_code(context, SQLITE_INTERRUPT)
        }
        let first = size(of: values[0])
        let second = size(of: values[1])
        guard call.guarded.work.of(Double(first), Double(second)) <= call.guarded.budget else {
            let message = "\(call.guarded.name)() on values of \(first) and \(second) bytes is not allowed: one call this large could run "
                + "past the query's deadline; use smaller values or a shorter pattern"
            return sqlite3_result_error(context, message, -1)
        }
        let statement = call.statement
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for index in 0..<Int(count) { bind(values[index], to: statement, at: Int32(index + 1)) }
        switch sqlite3_step(statement) {
        case SQLITE_ROW: sqlite3_result_value(context, sqlite3_column_value(statement, 0))
        case SQLITE_NOMEM: sqlite3_result_error_nomem(context)
        case SQLITE_TOOBIG: sqlite3_result_error_toobig(context)
        default: sqlite3_result_error(context, sqlite3_errmsg(call.delegate), -1)
        }
    }

    /// Bytes of text or a blob; a number or NULL is small (asking SQLite for a number's bytes would turn it into text).
    private static func size(of value: OpaquePointer?) -> Int {
        switch sqlite3_value_type(value) {
        case SQLITE_TEXT, SQLITE_BLOB: Int(sqlite3_value_bytes(value))
        default: 32
        }
    }

    private static let staticValue = unsafeBitCast(0, to: sqlite3_destructor_type.self)

    private static func bind(_ value: OpaquePointer?, to statement: OpaquePointer, at index: Int32) {
        switch sqlite3_value_type(value) {
        case SQLITE_INTEGER: sqlite3_bind_int64(statement, index, sqlite3_value_int64(value))
        case SQLITE_FLOAT: sqlite3_bind_double(statement, index, sqlite3_value_double(value))
        case SQLITE_TEXT: sqlite3_bind_text(statement, index, sqlite3_value_text(value), sqlite3_value_bytes(value), staticValue)
        case SQLITE_BLOB: sqlite3_bind_blob(statement, index, sqlite3_value_blob(value), sqlite3_value_bytes(value), staticValue)
        default: sqlite3_bind_null(statement, index)
        }
    }
}
