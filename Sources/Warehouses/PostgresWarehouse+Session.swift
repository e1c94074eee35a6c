import Domain
import PostgresNIO

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
            // After a refusal the transaction is aborted; ending it and resetting returns a clean session to the pool. A
            // closed connection is left alone: postgres-nio would wait for ever on a query sent to one.
            guard !connection.isClosed else { throw error }
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
        guard !connection.isClosed else { return }
        do {
            try await connection.query("DISCARD ALL", logger: logger)
        } catch {
            logger.warning("warehouse session could not be reset; closing it", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            try? await connection.close()
        }
    }
}
