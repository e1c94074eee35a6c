import Domain
import Foundation

/// The early, friendly check in front of every user statement (api.md "read-only"): exactly one `SELECT` or `WITH`
/// statement, none of the words that change data, schema, settings or files, nothing that recurses. It is not the
/// boundary — the database engine is (the SQLite sandbox's authorizer and deadline, PostgreSQL's read-only transaction
/// that is always rolled back; docs/security.md) — it only turns most attempts into a clear 422 before they reach it.
public enum ReadOnlySQL {
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Keywords that may not appear outside literals: statements that write (also as PostgreSQL data-modifying CTEs),
    /// `INTO` (`SELECT … INTO new_table`) and `RECURSIVE` (unbounded CTEs). Quoted, they are only names (`"delete"`).
    static let refusedWords: Set<String> = [
        "insert", "update", "delete", "merge", "upsert", "truncate", "drop", "alter", "create", "attach", "detach", "pragma",
        "copy", "grant", "revoke", "vacuum", "reindex", "into", "recursive",
    ]

    /// Functions that touch files, settings, sessions, sequences or large objects, run SQL held in a string, or sleep;
    /// `setseed`, whose state outlives `DISCARD ALL` on a pooled session.
    /// Refused bare and quoted, because both databases call `"set_config"(…)` as readily as `set_config(…)`.
    static let refusedFunctions: Set<String> = [
        "load_extension", "writefile", "readfile", "fts3_tokenizer", "zeroblob", "randomblob", "lo_import", "lo_export", "lowrite",
        "loread", "pg_stat_file", "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile", "pg_notify",
        "set_config", "nextval", "setval", "setseed", "ts_stat", "ts_rewrite", "pg_promote", "pg_switch_wal", "pg_drop_replication_slot",
        "pg_copy_physical_replication_slot", "pg_copy_logical_replication_slot", "pg_replication_slot_advance", "pg_import_system_collations",
    ]

    /// Families refused by prefix: large objects, advisory locks, sleeping, statistics resets, server files, replication
    /// slots, dblink, the XML functions that read a table, a schema, a database or a query named in a string, and the
    /// statistics and tuple functions that tell about tables and sessions beyond the realm's (other realms' running SQL).
    static let refusedPrefixes = [
        "lo_", "pg_advisory", "pg_try_advisory", "pg_sleep", "pg_stat_reset", "pg_ls_", "pg_read_", "pg_file_", "pg_create_", "pg_logical_",
        "pg_replication_origin", "dblink", "query_to_", "cursor_to_", "table_to_", "schema_to_", "database_to_", "pg_stat_get_", "currtid",
    ]

    static func isRefusedFunction(_ name: String) -> Bool {
        refusedFunctions.contains(name) || refusedPrefixes.contains { name.hasPrefix($0) }
    }


    /// The statement, without a trailing `;`, or a refusal saying what is wrong. `dialect` says how the warehouse reads
    /// quotes (`[name]` is a name on SQLite, a subscript on PostgreSQL).
    public static func check(_ sql: String, dialect: WarehouseKind) throws(Refusal) -> String {
        guard sql.utf8.count <= QueryText.maximumBytes else { throw Refusal(message: "The query is longer than \(QueryText.maximumBytes) bytes") }
        let tokens: [SQLLexer.Token]
        do {
            tokens = try SQLLexer.tokens(sql, dialect: dialect)
        } catch {
            throw Refusal(message: "\(error.message) at position \(error.position)")
        }
        guard let first = tokens.first else { throw Refusal(message: "The query is empty") }
        guard first.isWord("select") || first.isWord("with") else {
            throw Refusal(message: "Only SELECT or WITH statements may run; this one starts with '\(first.text)'")
        }
        var depth = 0
        for (offset, token) in tokens.enumerated() {
            // Balanced parentheses keep the statement inside the subquery the API wraps it in (and under its row cap).
            if token.kind == .symbol && token.text == "(" { depth += 1 }
            if token.kind == .symbol && token.text == ")" {
                depth -= 1
                guard depth >= 0 else { throw Refusal(message: "Unbalanced ')' at position \(token.position)") }
            }
            if token.kind == .symbol && token.text == ";" && offset != tokens.count - 1 {
                throw Refusal(message: "Only one statement may run; found more SQL after ';' at position \(token.position)")
            }
            let name = token.text.lowercased()
            if token.kind == .word && refusedWords.contains(name) || (token.kind == .word || token.kind == .quotedName) && isRefusedFunction(name) {
                throw Refusal(message: "'\(token.text)' is not allowed in a read-only query (position \(token.position))")
            }
        }
        guard depth == 0 else { throw Refusal(message: "Unbalanced '(': \(depth) not closed") }
        var statement = Substring(sql)
        if let last = tokens.last, last.kind == .symbol, last.text == ";" {
            let scalars = sql.unicodeScalars
            statement = Substring(scalars[scalars.startIndex..<scalars.index(scalars.startIndex, offsetBy: last.position - 1)])
        }
        return statement.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Names the statement reads as tables, lower-cased: every identifier, so the caller intersects with known tables.
    public static func identifiers(in sql: String, dialect: WarehouseKind) -> Set<String> {
        guard let tokens = try? SQLLexer.tokens(sql, dialect: dialect) else { return [] }
        return Set(tokens.filter { $0.kind == .word || $0.kind == .quotedName }.map { $0.text.lowercased() })
    }
}
