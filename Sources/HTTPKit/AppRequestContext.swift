import Domain
import Hummingbird
import NIOCore
import Synchronization

/// The request context of every route: who is calling (once an authenticator has decided) and from where.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal? {
        didSet { record.principalId.withLock { $0 = identity?.subject } }
    }
    /// The client's IP address, for `clientAddress` claims, throttling and last-used records: the peer's, or what a
    /// trusted proxy says it is (`TrustedProxies`, applied by the server's first middleware).
    public var remoteAddress: String
    /// Shared by every copy of this context, so the request log (outermost) learns who the request was for.
    public let record = RequestRecord()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "127.0.0.1"
    }

    /// api.md "Limits": request bodies of at most 1 MiB.
    public var maxUploadSize: Int { 1 << 20 }
}

/// What inner layers tell the request log about a request.
public final class RequestRecord: Sendable {
    /// The authenticated principal's id (`sub`), never a credential.
    public let principalId = Mutex<String?>(nil)
}

/// The context of protected route groups: creating it fails with 401 when nobody authenticated, so a handler that
/// needs a principal cannot forget to ask for one.
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let principal: Principal
    public let remoteAddress: String

    public init(context: AppRequestContext) throws {
        guard let principal = context.identity else { throw AuthenticationError.notAuthenticated }
        self.coreContext = context.coreContext
        self.principal = principal
        self.remoteAddress = context.remoteAddress
    }

    public var maxUploadSize: Int { 1 << 20 }
    /// JSON bodies read as FastAPI reads them (`request.decode(as:context:)`).
    public var requestDecoder: FastAPIRequestDecoder { FastAPIRequestDecoder() }

    /// 403 unless the caller holds `role`.
    public func require(role: String) throws {
        guard principal.has(role: role) else { throw APIError.forbidden("This action needs the role \(role).") }
    }
}
