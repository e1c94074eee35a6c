/// What user SQL may do on the SQLite warehouse. SQLite asks this through its authorizer while it compiles a statement
/// (sqlite.org/c3ref/set_authorizer.html), so the decision is the engine's reading of the SQL, not ours: whatever the
/// text looks like, the compiled statement may only read the warehouse's own tables and views and call pure functions
/// from an allow-list. PRAGMA, ATTACH, recursion, writes, schema changes, virtual tables, transactions, and functions
/// that reach outside (`fts3_tokenizer`, `load_extension`) or only make memory (`zeroblob`, `randomblob`) are denied.
struct SandboxPolicy: Sendable {
    /// What the authorizer is asked about, from its action code and arguments.
    enum Request: Equatable {
        /// A column of a table or view (an empty column for `count(*)`-style reads), in a schema (`main`, `temp`, …, or
        /// empty when no column is read).
        case read(table: String, column: String, schema: String)
        case function(String)
        case select
        case recursive
        /// Anything else: writes, PRAGMA, ATTACH, transactions, schema changes (the action code is in the denial).
        case other(String)
    }

    enum Decision: Equatable {
        case allow
        case deny(String)
    }

    /// Tables and views of the warehouse's `main` schema (never `sqlite_*`), lower-cased.
    let readable: Set<String>
    /// The tables and views the statement's realm may read (its domains'), lower-cased; nil for all of `readable`.
    /// A view in scope reads only what is in scope too: SQLite asks about every table a view reads, naming the view
    /// only as the read's accessor — as it names a CTE, which user SQL can call anything.
    var scope: Set<String>?

    init(readable: Set<String>, scope: Set<String>? = nil) {
        self.readable = readable
        self.scope = scope
    }

    func decide(_ request: Request) -> Decision {
        switch request {
        case .select:
            return .allow
        case .read(let table, _, let schema):
            // SQLite names no schema for a table read without columns (`SELECT count(*) FROM t`).
            guard schema == "main" || schema.isEmpty, readable.contains(table.lowercased()) else {
                // A recursive CTE reads its own name before SQLite asks about the recursion itself.
                return .deny("reading '\(table)' is not allowed: only the warehouse's tables and views can be read, and not recursively")
            }
            if let scope, !scope.contains(table.lowercased()) {
                return .deny("reading '\(table)' is not allowed: it belongs to none of this realm's domains")
            }
            return .allow
        case .function(let name):
            guard Self.allowedFunctions.contains(name.lowercased()) else { return .deny("the function '\(name)' is not allowed") }
            return .allow
        case .recursive:
            return .deny("recursive queries are not allowed")
        case .other(let action):
            return .deny("\(action) is not allowed in a read-only query")
        }
    }

    /// SQLite's deterministic scalar, aggregate, window, date, math and JSON functions (sqlite.org/lang_corefunc.html
    /// and its siblings). The `->`/`->>` operators are the functions of those names.
    static let allowedFunctions: Set<String> = [
        // scalar
        "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull", "iif", "instr", "length", "like",
        "likelihood", "likely", "lower", "ltrim", "max", "min", "nullif", "octet_length", "printf", "quote", "replace", "round",
        "rtrim", "sign", "soundex", "substr", "substring", "trim", "typeof", "unhex", "unicode", "unlikely", "upper",
        // date and time
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
        // aggregate
        "avg", "count", "group_concat", "string_agg", "sum", "total",
        // window
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value",
        "nth_value",
        // math
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees", "exp", "floor",
        "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt", "tan", "tanh", "trunc",
        // JSON
        "json", "json_array", "json_array_length", "json_extract", "json_insert", "json_object", "json_patch", "json_remove",
        "json_replace", "json_set", "json_type", "json_valid", "json_quote", "json_group_array", "json_group_object", "->", "->>",
    ]
}
