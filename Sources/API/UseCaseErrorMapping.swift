import Domain
import HTTPKit
import Hummingbird
import Identity
import UseCases

/// What a use case refuses, in FastAPI's shapes: 404/409/403 `{"detail": …}`, 422
/// `{"detail":[{"loc":["body",field],…}]}` for a value that breaks its rule, 503 when storage is away. The router's
/// error middleware applies it to every route, so the authenticated API needs no middleware of its own for it (one
/// layer less on every call).
public enum UseCaseErrorMapping {
    public static func apiError(_ error: any UseCaseError) -> any HTTPResponseError {
        switch error.kind {
        case .notFound: APIError.notFound(error.message)
        case .conflict: APIError(status: .conflict, detail: error.message)
        case .forbidden: APIError.forbidden(error.message)
        case .invalid(let field, let rule): ValidationError(field: field, message: error.message, type: rule.rawValue)
        case .refused: APIError(status: .badRequest, detail: error.message)
        case .unavailable: APIError.unavailable
        }
    }
}
