import Domain
import Foundation
import Logging
import SQLKit
import Storage
import Synchronization

/// A clock tests move by hand, so expiry is tested without sleeping.
public final class TestClock: Sendable {
    private let value: Mutex<Int>

    public init(_ start: Int = 1_800_000_000) { value = Mutex(start) }

    public var now: Int { value.withLock { $0 } }
    public func advance(_ seconds: Int) { value.withLock { $0 += seconds } }
    public var epochClock: EpochClock { EpochClock { self.now } }
}

/// The databases every storage test runs against: SQLite always, PostgreSQL when `TEST_POSTGRES_URL` is set.
public enum TestDatabases {
    public static var kinds: [DatabaseKind] {
        ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"].map { $0.isEmpty ? [.sqlite] : [.sqlite, .postgres] } ?? [.sqlite]
    }

    public static let logger = Logger(label: "test")

    /// Runs `body` with a fresh, empty database of the given kind, and removes it afterwards.
    public static func withFresh<T: Sendable>(_ kind: DatabaseKind, _ body: @Sendable (any Database, String) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nx1-test-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let database = try await SQLiteStore.open(path: directory + "/nexusone.sqlite", logger: logger)
            return try await DatabaseFactory.withDatabase(database) { try await body($0, directory) }
        case .postgres:
            let base = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"]!
            let name = "nx1_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
            try await administer(base, "CREATE DATABASE \(name)")
            let url = replacingDatabase(in: base, with: name)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nx1-test-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let result: Result<T, any Error>
            do {
                let database = try PostgresStore(url: url, logger: logger)
                result = .success(try await DatabaseFactory.withDatabase(database) { try await body($0, directory) })
            } catch {
                result = .failure(error)
            }
            try? await administer(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            return try result.get()
        }
    }

    public static func administer(_ url: String, _ statement: String) async throws {
        let admin = try PostgresStore(url: url, logger: logger)
        try await DatabaseFactory.withDatabase(admin) { database in
            _ = try await database.read { sql in try await sql.raw(SQLQueryString(statement)).run() }
        }
    }

    public static func replacingDatabase(in url: String, with name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + name
        return components.string!
    }
}
