import Domain
import PostgresNIO
import SQLKit

extension PostgresWarehouse {
    /// Why a statement's connection is closed instead of returned to the pool, with its rest unread.
    enum Abandon: Error {
        /// The page holds more than `WarehouseLimits.pageBytes`.
        case tooLarge
        /// More rows than the statement may return came: the rows up to the cap are the answer.
        case rowCap(ResultSet)
    }

    /// The boundary around every user statement: `BEGIN READ ONLY`, the statement, `ROLLBACK`, `DISCARD ALL`.
    ///
    /// The rollback ends what the transaction did (settings, large objects, `LISTEN`, cursors). What outlives a
    /// rollback — a session advisory lock, a prepared statement, anything a function that runs SQL from a string left
    /// in the session — ends with `DISCARD ALL`, which also restores the startup settings (`statement_timeout`,
    /// `default_transaction_read_only`). A connection that cannot be reset is closed, never returned to the pool. If the
    /// database has not answered a second after the statement timeout, the connection is closed too, which ends the
    /// statement on our side (and, when the server next writes to it, on its side).
    func isolated(on connection: PostgresConnection, _ body: () async throws -> ResultSet) async throws -> ResultSet {
        let watchdog = Task { [timeoutMilliseconds] () -> Bool in
            do { try await Task.sleep(for: .milliseconds(timeoutMilliseconds + 1_000)) } catch { return false }
            try? await connection.close()
            return true
        }
        do {
            try await connection.query("BEGIN TRANSACTION READ ONLY", logger: logger)
            let result = try await body()
            try await connection.query("ROLLBACK", logger: logger)
            await reset(connection)
            // Over before the connection goes back to the pool: a watchdog waking now must not close it under its next user.
            watchdog.cancel()
            _ = await watchdog.value
            return result
        } catch {
            watchdog.cancel()
            let expired = await watchdog.value
            if expired || error is Abandon {
                try? await connection.close()  // the pool replaces a closed connection
            }
            if expired { throw WarehouseError.query(timeoutMessage) }
            switch error as? Abandon {
            case .tooLarge: throw WarehouseError.tooLarge(limit: WarehouseLimits.pageBytes)
            case .rowCap(let rows): return rows
            case nil: break
            }
            // After a refusal the transaction is aborted; ending it and resetting returns a clean session to the pool.
            do {
                try await connection.query("ROLLBACK", logger: logger)
                await reset(connection)
            } catch {
                try? await connection.close()
            }
            throw error
        }
    }

    /// `DISCARD ALL`: the session as new (advisory locks released, prepared statements, cursors, temporary objects and
    /// `LISTEN`s gone, every setting back to its startup value). On failure the connection is closed.
    private func reset(_ connection: PostgresConnection) async {
        do {
            try await connection.query("DISCARD ALL", logger: logger)
        } catch {
            logger.warning("warehouse session could not be reset; closing it", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            try? await connection.close()
        }
    }
}

/// Wraps a statement so that PostgreSQL itself refuses a row bigger than the page cap before sending it: a value of
/// hundreds of megabytes never reaches this process, which would otherwise have to read the whole row before any cap
/// of ours could see it. The check is an extra last column, NULL for every row that is sent; for a row over the cap,
/// casting the marker text to an integer fails with the marker in the error. The cast depends on the row, so the
/// planner cannot fold it into an error at planning time.
///
/// `pg_column_size` of the whole row counts external and compressed values expanded, but a row's stored form can be
/// far smaller than what is sent: an array of 60 million NULLs is a 7.5 MB bitmap and 240 MB on the wire. No type
/// grows by more than about 32 times (four bytes for a one-bit NULL), so a row stored in over a 64th of the cap is
/// measured again in the binary form it would be sent in (`record_send`; 0.5 s for those 240 MB), which only such
/// rare rows pay for.
struct RowSizeCheck: SQLExpression {
    static let marker = "nx1_row_too_large"
    let inner: any SQLExpression
    let limit: Int

    init(_ inner: any SQLExpression, limit: Int) {
        self.inner = inner
        self.limit = limit
    }

    func serialize(to serializer: inout SQLSerializer) {
        // CASE keeps the order: the text is only made for a row that may need it.
        let refusal = "CAST('\(Self.marker) ' || pg_column_size(nx1_rows.*) AS integer)"
        serializer.write("SELECT nx1_rows.*, CASE WHEN pg_column_size(nx1_rows.*) > \(limit) THEN \(refusal) ")
        serializer.write("WHEN pg_column_size(nx1_rows.*) > \(limit / 64) THEN CASE WHEN octet_length(record_send(nx1_rows)) > \(limit) THEN \(refusal) END ")
        serializer.write("END AS nx1_row_check FROM (\n")
        inner.serialize(to: &serializer)
        serializer.write("\n) AS nx1_rows")
    }
}
