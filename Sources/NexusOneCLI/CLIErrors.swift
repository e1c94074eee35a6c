import ArgumentParser
import Authentication

/// Use-case errors told as the API tells them, in one line, so a CLI failure reads like the API's `detail`.
enum CLIErrors {
    static func readable<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as APIError {
            throw ArgumentParser.ValidationError(error.detail)
        } catch let error as Authentication.ValidationError {
            throw ArgumentParser.ValidationError(error.problems.map(\.msg).joined(separator: "; "))
        }
    }
}
