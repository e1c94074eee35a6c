import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    public static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    public static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}

/// The content security policies of the server's HTML (Hummingbird's `ContentSecurityPolicy`): nothing loads but this
/// server's own stylesheet (and, in the portal, its one script); no page may be framed but the embed page.
public enum PagePolicy {
    public static let portal: ContentSecurityPolicy = [
        .defaultSrc(.none), .styleSrc(.self), .scriptSrc(.self), .imgSrc(.self), .formAction(.self), .frameAncestors(.none), .baseURI(.none),
    ]
    /// The embed page may be framed by any site; that is what it is for.
    public static let embed: ContentSecurityPolicy = [
        .defaultSrc(.none), .styleSrc(.self), .scriptSrc(.self), .imgSrc(.self), .formAction(.self), .frameAncestors(.uri("*")), .baseURI(.none),
    ]
    /// The embed policy's header value, written once: every response is compared with it.
    public static let embedHeaderValue = embed.description
    public static let login: ContentSecurityPolicy = [.defaultSrc(.none), .styleSrc(.self), .imgSrc(.self), .frameAncestors(.none), .baseURI(.none)]
    public static let home: ContentSecurityPolicy = [.defaultSrc(.none), .styleSrc(.self)]
}
