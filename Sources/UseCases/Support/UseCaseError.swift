import Domain
import Storage

/// What a use case refuses, in terms every front end maps to its own shape: the API to FastAPI's `detail` (404, 409,
/// 403, 422, 503), the Keycloak admin REST to `{"errorMessage"}`/`{"error"}`, the portal to a page, the CLI to a line
/// and an exit code (docs/architecture.md). Front ends never catch each other's HTTP errors.
public protocol UseCaseError: Error, Sendable {
    var kind: UseCaseErrorKind { get }
    /// One sentence the person or the script can act on; never a secret or storage detail.
    var message: String { get }
}

public enum UseCaseErrorKind: Sendable, Equatable {
    case notFound
    /// A name in use, a key that exists, a state that forbids the change.
    case conflict
    case forbidden
    /// An input breaks its rule; `field` names it.
    case invalid(field: String, rule: ValueError.Rule)
    /// Understood, but a rule of the product refuses it ("you cannot disable yourself").
    case refused
    /// Storage or the warehouse cannot be reached.
    case unavailable
}

extension ValueError: UseCaseError {
    public var kind: UseCaseErrorKind { .invalid(field: field, rule: rule) }
}

extension StorageError {
    /// Runs `body`, turning this storage refusal into `meaning` (a use case's own words for it).
    func means<T: Sendable>(_ meaning: some Error, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StorageError where error == self {
            throw meaning
        }
    }
}
