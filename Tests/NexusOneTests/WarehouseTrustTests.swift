import DatabaseFixtures
import Domain
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import PostgresNIO
import SQLKit
import Storage
import Testing

@testable import SQLiteSandbox
@testable import Warehouses

/// The second round of the sandbox's trust (docs/security.md): nothing outlives a PostgreSQL statement, the database
/// refuses rows over the cap, only a reading role serves, and no single SQLite function call outruns the deadline.
@Suite("Warehouse trust")
struct WarehouseTrustTests {
    static var postgresURL: String? { TestDatabases.kinds.contains(.postgres) ? ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"] : nil }

    /// A warehouse of one connection, so every statement runs in the session the one before it used.
    static func singleSession(_ body: (PostgresWarehouse) async throws -> Void) async throws {
        let url = try await TestWarehouses.shared(.postgres).url
        let warehouse = try PostgresWarehouse(url: url, connections: 1, logger: TestDatabases.logger)
        let running = Task { try? await warehouse.run() }
        defer { running.cancel() }
        try await Task.sleep(for: .milliseconds(5))
        try await body(warehouse)
    }

    @Test(
        "PostgreSQL: nothing a statement leaves in its session reaches the next one",
        arguments: [
            "SELECT pg_advisory_lock(4242)", "SELECT pg_advisory_lock_shared(4243)", "PREPARE nx1_left AS SELECT 1",
            "DECLARE nx1_cursor CURSOR WITH HOLD FOR SELECT 1", "LISTEN nx1_channel", "SELECT set_config('search_path', 'nowhere', false)",
            "SET statement_timeout = 0", "SET SESSION default_transaction_read_only = off",
        ])
    func sessionReset(statement: String) async throws {
        guard Self.postgresURL != nil else { return }
        try await Self.singleSession { warehouse in
            // Made inside the sandbox's own boundary, as SQL run from a string (ts_stat, query_to_xml) could make it.
            _ = try await warehouse.readOnly { connection in
                try await warehouse.isolated(on: connection) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: TestDatabases.logger)
                    return ResultSet(columns: [], rows: [])
                }
            }
            let state = try await warehouse.select(
                SQLRaw(
                    """
                    SELECT (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks,
                           (SELECT count(*) FROM pg_prepared_statements) AS prepared, (SELECT count(*) FROM pg_cursors WHERE name <> '') AS cursors,
                           (SELECT count(*) FROM pg_listening_channels()) AS channels, current_setting('search_path') AS path,
                           current_setting('statement_timeout') AS timeout, current_setting('default_transaction_read_only') AS read_only
                    """))
            #expect(state.rows == [[.integer(0), .integer(0), .integer(0), .integer(0), .text("\"$user\", public"), .text("5s"), .text("on")]])
        }
    }

    @Test("PostgreSQL: a session advisory lock taken through ts_stat is gone when the statement is")
    func advisoryLockThroughAString() async throws {
        guard Self.postgresURL != nil else { return }
        let warehouse = try await TestWarehouses.shared(.postgres).warehouse
        _ = try await warehouse.select(SQLRaw("SELECT * FROM ts_stat('SELECT pg_advisory_lock(4444)::text::tsvector')"))
        let held = try await warehouse.select(SQLRaw("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 4444"))
        #expect(held.rows == [[.integer(0)]])
    }

    @Test("PostgreSQL: a row bigger than the page cap is refused by the database, and the session serves on")
    func rowOverTheCap() async throws {
        guard Self.postgresURL != nil else { return }
        let warehouse = try await TestWarehouses.shared(.postgres).warehouse
        await #expect(throws: WarehouseError.tooLarge(limit: WarehouseLimits.pageBytes)) {
            try await warehouse.select(SQLRaw("SELECT 1 AS id, repeat('x', 20000000) AS big"))
        }
        await #expect(throws: WarehouseError.tooLarge(limit: WarehouseLimits.pageBytes)) {
            try await warehouse.select(SQLRaw("SELECT repeat('x', 5000000) AS a, repeat('y', 5000000) AS b"))
        }
        // Stored small, sent big: 7.5 MB of NULL bitmap is 240 MB on the wire.
        await #expect(throws: WarehouseError.tooLarge(limit: WarehouseLimits.pageBytes)) {
            try await warehouse.select(SQLRaw("SELECT array_fill(CAST(NULL AS integer), ARRAY[60000000]) AS a"))
        }
        // Stored small, sent big in another way: jsonb sends numerics as text, 1e131071 as 131,072 digits.
        await #expect(throws: WarehouseError.tooLarge(limit: WarehouseLimits.pageBytes)) {
            try await warehouse.select(SQLRaw("SELECT jsonb_agg(CAST('1e131071' AS numeric)) AS j FROM generate_series(1, 200)"))
        }
        // An error quoting a value of the user's making is cut before it is answered or stored, and one of megabytes is
        // not even read.
        do {
            _ = try await warehouse.select(SQLRaw("SELECT CAST(repeat('x', 100000) AS integer) AS n"))
            Issue.record("the cast did not fail")
        } catch WarehouseError.query(let message) {
            #expect(message.count <= 1_001 && message.hasSuffix("…"))
        }
        do {
            _ = try await warehouse.select(SQLRaw("SELECT CAST(repeat('x', 20000000) AS integer) AS n"))
            Issue.record("the cast did not fail")
        } catch WarehouseError.query(let message) {
            #expect(message.contains("was not read"), "\(message.prefix(200))")
        }
        #expect(try await warehouse.select(SQLRaw("SELECT count(*) AS n FROM orders")).rows == [[.integer(6_000)]])
    }

    @Test("serve refuses a warehouse role with powers beyond reading, names each, and admits a reading role")
    func privilegedRoles() async throws {
        guard let base = Self.postgresURL else { return }
        let url = try await TestWarehouses.shared(.postgres).url
        let admission = WarehouseAdmission(system: .unknown, allowPrivileged: false, logger: TestDatabases.logger)
        await #expect(throws: WarehouseAdmission.Refusal.self) { try await admission.admit(url: url) }  // the test cluster's superuser
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let reader = "nx1_trust_reader_\(suffix)"
        let replicator = "nx1_trust_replication_\(suffix)"
        try await TestDatabases.administer(url, "CREATE ROLE \(reader) LOGIN PASSWORD 'reader'")
        try await TestDatabases.administer(url, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(reader)")
        try await TestDatabases.administer(url, "CREATE ROLE \(replicator) LOGIN REPLICATION PASSWORD 'replicator'")
        try await TestDatabases.administer(url, "GRANT pg_signal_backend TO \(reader)")
        defer {
            Task {
                try? await TestDatabases.administer(url, "REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM \(reader)")
                try? await TestDatabases.administer(base, "DROP ROLE IF EXISTS \(reader)")
                try? await TestDatabases.administer(base, "DROP ROLE IF EXISTS \(replicator)")
            }
        }
        func login(_ role: String) -> String {
            var components = URLComponents(string: url)!
            components.user = role
            components.password = role == reader ? "reader" : "replicator"
            return components.string!
        }
        do {
            try await admission.admit(url: login(replicator))
            Issue.record("a REPLICATION role was admitted")
        } catch let refusal as WarehouseAdmission.Refusal {
            #expect(refusal.description.contains("REPLICATION"))
        }
        do {
            try await admission.admit(url: login(reader))
            Issue.record("a member of pg_signal_backend was admitted")
        } catch let refusal as WarehouseAdmission.Refusal {
            #expect(refusal.description.contains("pg_signal_backend"))
        }
        // A power held through a role one is a member of counts: SQL can switch to that role.
        try await TestDatabases.administer(url, "GRANT \(replicator) TO \(reader)")
        do {
            try await admission.admit(url: login(reader))
            Issue.record("a member of a REPLICATION role was admitted")
        } catch let refusal as WarehouseAdmission.Refusal {
            #expect(refusal.description.contains("(through \(replicator)) has REPLICATION"), "\(refusal)")
        }
        try await TestDatabases.administer(url, "REVOKE \(replicator) FROM \(reader)")
        let lab = WarehouseAdmission(system: .unknown, allowPrivileged: true, logger: TestDatabases.logger)
        #expect(try await lab.admit(url: login(reader)) == ["the role is a member of pg_signal_backend"])
        try await TestDatabases.administer(url, "REVOKE pg_signal_backend FROM \(reader)")
        #expect(try await admission.admit(url: login(reader)) == [])
        // warehouse check reports the same power, marked as one that stops serve.
        let checked = try PostgresWarehouse(url: login(replicator), logger: TestDatabases.logger)
        let running = Task { try? await checked.run() }
        defer { running.cancel() }
        try await Task.sleep(for: .milliseconds(5))
        let findings = try await checked.privilegeFindings()
        #expect(findings.contains(WarehouseFinding(.problem, "the role has REPLICATION", blocksServing: true)))
    }

    @Test("SQLite: one call of a function whose work grows with the product of its inputs is refused at once when that is large")
    func quadraticCalls() async throws {
        let warehouse = try await TestWarehouses.shared(.sqlite).warehouse
        let attacks = [
            "SELECT instr(printf('%.1600000c', 'a'), printf('%.800000c', 'a') || 'b') AS n",
            "SELECT length(replace(printf('%.1600000c', 'a'), printf('%.800000c', 'a') || 'b', 'c')) AS n",
            "SELECT length(rtrim(printf('%.200000c', 'a'), printf('%.100000c', 'b') || 'a')) AS n",
            "SELECT printf('%.2000000c', 'a') LIKE '%' || printf('%.400c', 'a') || 'b' AS n",
            "SELECT printf('%.2000000c', 'a') GLOB '*' || printf('%.400c', 'a') || 'b' AS n",
        ]
        for sql in attacks {
            let started = ContinuousClock.now
            let refusal = await WarehouseSandboxTests.refusal(sql, on: warehouse)
            #expect(refusal?.contains("could run past the query's deadline") == true, "\(sql): \(refusal ?? "ran")")
            #expect(ContinuousClock.now - started < .seconds(2), "\(sql)")
        }
        // The same functions on ordinary values answer as SQLite's own do (they are SQLite's own).
        let ordinary = try await warehouse.select(
            SQLRaw(
                """
                SELECT instr('hello world', 'wor') AS i, replace('a-b-c', '-', '+') AS r, 'Hello' LIKE 'h%' AS l, 'a_c' LIKE 'a!_c' ESCAPE '!' AS e,
                       'abc' GLOB 'a*' AS g, trim('xxhixx', 'x') AS t, ltrim('  hi') AS lt, json_patch('{"a":1}', '{"b":2}') AS j,
                       instr(NULL, 'x') IS NULL AS n, instr(12345, 34) AS num
                """))
        #expect(ordinary.rows == [[.integer(7), .text("a+b+c"), .integer(1), .integer(1), .integer(1), .text("hi"), .text("hi"), .text(#"{"a":1,"b":2}"#), .integer(1), .integer(3)]])
        // json_patch walks the whole patch again for each key it adds: a big patch alone is quadratic.
        let patch = await WarehouseSandboxTests.refusal(
            "SELECT length(json_patch('{}', (SELECT json_group_object(a.order_id * 1000 + b.product_id, 0) FROM orders a, products b LIMIT 30000))) AS n",
            on: warehouse)
        #expect(patch?.contains("json_patch() on values of") == true, "\(patch ?? "ran")")
        let quoted = await WarehouseSandboxTests.refusal("SELECT json_extract('{}', '$x' || printf('%.100000c', ' ')) AS v", on: warehouse)
        #expect(quoted.map { $0.count < 1_100 } == true, "\(quoted?.count ?? 0)")
        // A long value with a short pattern is an ordinary search, not an attack.
        let long = try await warehouse.select(SQLRaw("SELECT instr(printf('%.8000000c', 'a') || 'needle', 'needle') AS n"))
        #expect(long.rows == [[.integer(8_000_001)]])
    }

    @Test("SQLite: work no progress handler separates — many calls in one row, a huge program — ends near the deadline")
    func straightLineWork() async throws {
        let url = try await TestWarehouses.shared(.sqlite).url
        let warehouse = SQLiteWarehouse(path: url, statementTimeout: .milliseconds(300), logger: TestDatabases.logger)
        let running = Task { try? await warehouse.run() }
        defer { running.cancel() }
        // Each call is within its budget (about 0.2 s); 30 of them in one row would take six seconds.
        let call = "instr(printf('%.190000c', 'a'), printf('%.100000c', 'a') || 'b')"
        let started = ContinuousClock.now
        let refusal = await WarehouseSandboxTests.refusal("SELECT " + Array(repeating: call, count: 30).joined(separator: " + ") + " AS n", on: warehouse)
        #expect(refusal?.contains("ran longer than 300 ms") == true, "\(refusal ?? "ran")")
        #expect(ContinuousClock.now - started < .seconds(3))  // six seconds and more without the guards' deadline check
        let calls = await WarehouseSandboxTests.refusal("SELECT " + Array(repeating: "length('x')", count: 101).joined(separator: " + ") + " AS n", on: warehouse)
        #expect(calls?.contains("calls functions more than 100 times") == true, "\(calls ?? "ran")")
        let comparisons = "SELECT " + (0..<40).map { _ in Array(repeating: "name = name", count: 200).joined(separator: " AND ") }.joined(separator: ", ")
            + " FROM customers"
        let program = await WarehouseSandboxTests.refusal(comparisons, on: warehouse)
        #expect(program?.contains("too large to run here") == true, "\(program ?? "ran")")
        #expect(try await warehouse.select(SQLRaw("SELECT count(*) AS n FROM orders")).rows == [[.integer(6_000)]])
    }

    @Test("PostgreSQL names are read as PostgreSQL reads them: ASCII folded, quoted kept, cut to 63 bytes, schemas seen")
    func postgresNames() throws {
        let long = String(repeating: "t", count: 63)
        let names = try #require(PostgresNames(statement: #"SELECT * FROM CUSTOMERS, "Orders", ÄBC, "\#(long)xyz", other.secret o WHERE o.id = $1"#))
        #expect(names.names.isSuperset(of: ["customers", "Orders", "Äbc", long, "other", "secret", "o", "id"]))
        #expect(names.qualified.contains(.init(qualifier: "other", name: "secret")))
        #expect(PostgresNames.truncated(String(repeating: "é", count: 40)).utf8.count == 62)
        #expect(PostgresNames(statement: "SELECT 'unterminated") == nil)
    }

    @Test("the message guard passes PostgreSQL's messages through untouched and closes the connection at a message too big to read")
    func messageGuard() throws {
        func message(_ type: Character, body: Int) -> ByteBuffer {
            var buffer = ByteBuffer()
            buffer.writeInteger(type.asciiValue!)
            buffer.writeInteger(Int32(body + 4))
            buffer.writeRepeatingByte(0x61, count: min(body, 64))
            return buffer
        }
        let verdict = MessageSizeGuard.Verdict()
        let channel = EmbeddedChannel(handler: MessageSizeGuard(verdict: verdict, rowBytes: 1_000, messageBytes: 100))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5432)).wait()
        var small = message("D", body: 64)
        small.writeImmutableBuffer(message("C", body: 8))
        try channel.writeInbound(small)
        #expect(try channel.readInbound(as: ByteBuffer.self) == small)
        #expect(verdict.refusedType == nil && channel.isActive)
        // A message's header split across reads is still read; a body longer than allowed closes the connection.
        var error = message("E", body: 200)
        let firstPart = error.readSlice(length: 3)!
        try channel.writeInbound(firstPart)
        #expect(channel.isActive)
        try channel.writeInbound(error)
        #expect(verdict.refusedType == UInt8(ascii: "E"))
        #expect(!channel.isActive)
        #expect(try channel.readInbound(as: ByteBuffer.self) == firstPart)
    }

    @Test("every function the SQLite sandbox allows is reviewed: linear in one call, or guarded")
    func everyFunctionClassified() {
        let guarded = Set(BoundedFunctions.guarded.map(\.name))
        #expect(BoundedFunctions.linear.isDisjoint(with: guarded))
        #expect(SandboxPolicy.allowedFunctions == BoundedFunctions.linear.union(guarded))
    }
}
