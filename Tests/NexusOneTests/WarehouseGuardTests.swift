import Domain
import Testing
import Warehouses

@Suite("Read-only SQL guard, filter and order parsers")
struct WarehouseGuardTests {
    @Test(
        "statements that write, touch files or settings, or stack are refused with a reason",
        arguments: [
            ("INSERT INTO orders VALUES (1)", "starts with 'INSERT'"),
            ("UPDATE orders SET status = 'x'", "starts with 'UPDATE'"),
            ("DELETE FROM orders", "starts with 'DELETE'"),
            ("DROP TABLE orders", "starts with 'DROP'"),
            ("ATTACH DATABASE '/tmp/x.db' AS x", "starts with 'ATTACH'"),
            ("PRAGMA query_only = OFF", "starts with 'PRAGMA'"),
            ("COPY orders TO '/tmp/x'", "starts with 'COPY'"),
            ("SELECT 1; DROP TABLE orders", "Only one statement"),
            ("SELECT 1;; ", "Only one statement"),
            ("WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone", "'DELETE' is not allowed"),
            ("SELECT * INTO copy FROM orders", "'INTO' is not allowed"),
            ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT * FROM n", "'RECURSIVE' is not allowed"),
            ("SELECT load_extension('/tmp/evil')", "'load_extension' is not allowed"),
            ("SELECT pg_sleep(100)", "'pg_sleep' is not allowed"),
            (#"SELECT "set_config"('default_transaction_read_only', 'off', false)"#, "'set_config' is not allowed"),
            ("SELECT pg_catalog.set_config('statement_timeout', '0', false)", "'set_config' is not allowed"),
            ("SELECT E'\\'' ; DROP TABLE orders; --'", "Escape-string"),
            ("SELECT $1", "Parameters"),
            ("SELECT $$x$$", "dollar quoting"),
            ("SELECT 1) AS v, (SELECT 2", "Unbalanced ')'"),
            ("SELECT ((1)", "Unbalanced '('"),
            ("SELECT 'unterminated", "Unterminated quote"),
            ("SELECT 1 /* open", "Unterminated comment"),
            ("SELECT ’1’", "Unexpected character '’'"),
            ("", "empty"),
            ("-- only a comment", "empty"),
            ("SELECT 1 AS a --\r\n, load_extension('x')", "'load_extension' is not allowed"),
            ("SELECT ts_stat('SELECT pg_advisory_lock(1)::text::tsvector')", "'ts_stat' is not allowed"),
            ("SELECT schema_to_xml_and_xmlschema('public', true, false, '')", "'schema_to_xml_and_xmlschema' is not allowed"),
            ("SELECT setseed(0.5)", "'setseed' is not allowed"),
            ("SELECT pg_create_physical_replication_slot('x')", "'pg_create_physical_replication_slot' is not allowed"),
            ("SELECT 'x'\u{301}, fts3_tokenizer('simple')", "Unexpected character"),
            ("SELECT query_to_xml('select set_config(''statement_timeout'', ''0'', false)', true, true, '')", "'query_to_xml' is not allowed"),
            ("SELECT lo_from_bytea(0, 'x')", "'lo_from_bytea' is not allowed"),
            ("SELECT pg_try_advisory_lock(1)", "'pg_try_advisory_lock' is not allowed"),
        ])
    func refusals(sql: String, reason: String) {
        for dialect in [WarehouseKind.sqlite, .postgres] {
            #expect(throws: ReadOnlySQL.Refusal.self) { try ReadOnlySQL.check(sql, dialect: dialect) }
            do {
                _ = try ReadOnlySQL.check(sql, dialect: dialect)
            } catch {
                #expect(error.message.contains(reason), "\(sql): \(error.message)")
            }
        }
    }

    @Test("a -- comment ends where the database ends it: at LF on SQLite, at CR or LF on PostgreSQL")
    func commentsByDialect() throws {
        // PostgreSQL reads what follows a CR as code: the guard does too.
        #expect(throws: ReadOnlySQL.Refusal.self) { try ReadOnlySQL.check("SELECT 1 AS a --\r, pg_sleep_for('1 hour')", dialect: .postgres) }
        // SQLite reads it as more comment, up to the LF: nothing after the CR runs.
        #expect(try ReadOnlySQL.check("SELECT 1 AS a --\r, load_extension('x')", dialect: .sqlite) == "SELECT 1 AS a --\r, load_extension('x')")
        // Ending the comment at CR would have read a string from the quote on, hiding the code after the LF from the guard.
        let hidden = "SELECT 1 AS a --\r'\n, load_extension('x') --'"
        #expect(throws: ReadOnlySQL.Refusal.self) { try ReadOnlySQL.check(hidden, dialect: .sqlite) }
    }

    @Test("[ quotes a name on SQLite only: on PostgreSQL it is a subscript, and what it holds is checked")
    func bracketsByDialect() throws {
        let sql = "SELECT (ARRAY[1, 2])[pg_sleep(10)::int]"
        #expect(throws: ReadOnlySQL.Refusal.self) { try ReadOnlySQL.check(sql, dialect: .postgres) }
        #expect(try ReadOnlySQL.check("SELECT [order id] FROM [orders]", dialect: .sqlite) == "SELECT [order id] FROM [orders]")
    }

    @Test("one SELECT or WITH statement passes; words inside strings, quoted names and comments do not count")
    func accepted() throws {
        for dialect in [WarehouseKind.sqlite, .postgres] {
            #expect(try ReadOnlySQL.check("SELECT * FROM orders;", dialect: dialect) == "SELECT * FROM orders")
            #expect(
                try ReadOnlySQL.check("  with t as (select 1 as x) select x from t  ", dialect: dialect) == "with t as (select 1 as x) select x from t")
            #expect(try ReadOnlySQL.check("SELECT 'DROP TABLE x; DELETE' AS note", dialect: dialect) == "SELECT 'DROP TABLE x; DELETE' AS note")
            #expect(
                try ReadOnlySQL.check(#"SELECT "delete" FROM t -- ; drop table x"#, dialect: dialect) == #"SELECT "delete" FROM t -- ; drop table x"#)
            #expect(try ReadOnlySQL.check("SELECT 'it''s' /* insert */", dialect: dialect) == "SELECT 'it''s' /* insert */")
            #expect(
                ReadOnlySQL.identifiers(in: #"SELECT o.x FROM "Orders" o JOIN order_items i ON 1=1"#, dialect: dialect)
                    .isSuperset(of: ["orders", "order_items"]))
        }
    }

    static let columns = ["order_id", "order_date", "channel", "status", "total_amount"]

    @Test("the filter grammar: comparisons, like, in, is [not] null, and/or with parentheses, values never raw")
    func filters() throws {
        let parsed = try FilterParser.parse(
            "(channel = 'Web' or channel in ('Store', 'Mobile')) and total_amount >= 10.5 and status != 'it''s' and order_date is not null",
            columns: Self.columns)
        #expect(
            parsed
                == .and(
                    .and(
                        .and(
                            .or(.compare(column: "channel", .equal, .text("Web")), .isIn(column: "channel", [.text("Store"), .text("Mobile")])),
                            .compare(column: "total_amount", .greaterOrEqual, .real(10.5))),
                        .compare(column: "status", .notEqual, .text("it's"))),
                    .isNull(column: "order_date", negated: true)))
        #expect(try FilterParser.parse("ORDER_ID <> -3", columns: Self.columns) == .compare(column: "order_id", .notEqual, .integer(-3)))
        #expect(try FilterParser.parse("status like 'deliv%' or status is null", columns: Self.columns)
            == .or(.like(column: "status", "deliv%"), .isNull(column: "status", negated: false)))
        #expect(try FilterParser.parse("order_id = true", columns: Self.columns) == .compare(column: "order_id", .equal, .boolean(true)))
    }

    @Test(
        "malformed filters, unknown columns and injection attempts name the position",
        arguments: [
            ("channel = 'Web'; DROP TABLE orders", "Unexpected character ';' at position 16"),
            ("channel = 'Web' --", "Unexpected character '-' at position 17"),
            ("channel = 'Web' /* x */", "Unexpected character '/' at position 17"),
            ("channel = ’Web’", "Unexpected character '’' at position 11"),
            ("channel = 'Web", "Unterminated quote at position 11"),
            ("secret = 1", "Unknown column 'secret' at position 1"),
            ("channel = Web", "Expected a value"),
            ("channel", "expected an operator"),
            ("channel = 'a' and", "Unexpected end"),
            ("(channel = 'a'", "Expected a closing ')'"),
            ("channel in ()", "Expected a value"),
            ("channel is 'x'", "Expected 'null'"),
            ("1 = 1", "Expected a column name"),
            ("channel = 'a' channel = 'b'", "Unexpected 'channel' (expected 'and', 'or' or the end) at position 15"),
            ("channel = 'x' union select 1", "Unexpected 'union'"),
            ("", "The filter is empty"),
        ])
    func malformedFilters(filter: String, message: String) {
        do {
            _ = try FilterParser.parse(filter, columns: Self.columns)
            Issue.record("\(filter) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(filter): \(error.description)")
        }
    }

    @Test("order: column [asc|desc], comma-separated, known columns only")
    func order() throws {
        #expect(try OrderParser.parse("total_amount desc, order_id", columns: Self.columns)
            == [OrderTerm(column: "total_amount", descending: true), OrderTerm(column: "order_id", descending: false)])
        for bad in ["nope", "order_id sideways", "order_id,", "order_id; drop table orders", ""] {
            #expect(throws: FilterSyntaxError.self, "\(bad)") { try OrderParser.parse(bad, columns: Self.columns) }
        }
    }

    @Test("ask: the prompt matches the suggestion sharing the most words; nothing shared is no match")
    func promptMatching() {
        let prompts = ["How many orders are there per channel?", "What is the total amount per channel?", "Which 10 orders have the highest total amount?"]
        #expect(PromptMatcher.bestMatch(for: "orders by channel", in: prompts) == 0)
        #expect(PromptMatcher.bestMatch(for: "total amount for each channel", in: prompts) == 1)
        #expect(PromptMatcher.bestMatch(for: "highest orders", in: prompts) == 2)
        #expect(PromptMatcher.bestMatch(for: "weather in Paris", in: prompts) == nil)
    }

    @Test("suggestions come from the schema alone and are the same every time")
    func suggestions() {
        let orders = WarehouseTable(
            name: "orders",
            columns: [
                .init(name: "order_id", type: "integer"), .init(name: "order_date", type: "date"), .init(name: "channel", type: "text"),
                .init(name: "total_amount", type: "numeric"),
            ])
        let questions = SuggestionGenerator.questions(for: [orders])
        #expect(questions == SuggestionGenerator.questions(for: [orders]))
        #expect(questions.map(\.prompt) == [
            "How many orders are there per channel?", "What is the total amount per channel?", "How many orders are there per month of order date?",
            "How does the total amount change per month of order date?", "Which 10 orders have the highest total amount?",
        ])
        #expect(questions.allSatisfy { (try? ReadOnlySQL.check($0.query, dialect: .sqlite)) != nil && (try? ReadOnlySQL.check($0.query, dialect: .postgres)) != nil })
    }
}
