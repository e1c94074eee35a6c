import Authentication
import Domain
import Hummingbird
import UseCases

/// What a use case refuses, in FastAPI's shapes, for every `/api` route: 404/409/403 `{"detail": …}`, 422
/// `{"detail":[{"loc":["body",field],…}]}` for a value that breaks its rule, 503 when storage is away.
public struct UseCaseErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any UseCaseError {
            throw Self.apiError(error)
        }
    }

    static func apiError(_ error: any UseCaseError) -> any Error {
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
