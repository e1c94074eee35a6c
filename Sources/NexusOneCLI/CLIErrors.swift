import ArgumentParser
import Domain
import Foundation
import UseCases

/// What a use case refuses, told in one line on standard error with a non-zero exit (ArgumentParser's validation
/// failure), naming the option where a value broke its rule.
enum CLIErrors {
    static func readable<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ValueError {
            throw ArgumentParser.ValidationError("--\(error.field.replacingOccurrences(of: "_", with: "-")): \(error.message)")
        } catch let error as any UseCaseError {
            throw ArgumentParser.ValidationError(error.message)
        }
    }
}

/// A command that cannot do what was asked: ArgumentParser prints `Error: <description>` (no usage: the arguments were
/// fine) and exits 1. Errors that describe themselves (`BackupError`) are thrown as they are.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
