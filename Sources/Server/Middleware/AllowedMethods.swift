import HTTPKit
import HTTPTypes
import Hummingbird
import Identity
import Synchronization

/// Which methods each route path answers, so a known path asked with another method gets 405 and an `Allow` header
/// (RFC 9110 §15.5.6) instead of Hummingbird's 404. Filled once the router has every route.
final class AllowedMethods: Sendable {
    private let routes = Mutex<[(components: [Substring], method: HTTPRequest.Method)]>([])

    func fill(from descriptions: [Router<AppRequestContext>.RouteDescription]) {
        let table = descriptions.map { (components: $0.path.description.split(separator: "/"), method: $0.method) }
        routes.withLock { $0 = table }
    }

    /// The methods of the route pattern that best matches `path` (most literal components, as the router's trie
    /// prefers them); empty when no route matches.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let requested = path.split(separator: "/")
        return routes.withLock { routes in
            let matching = routes.filter { Self.matches($0.components, requested) }
            let best = matching.map { Self.literalCount($0.components) }.max()
            return matching.filter { Self.literalCount($0.components) == best }.map(\.method)
        }
    }

    private static func literalCount(_ pattern: [Substring]) -> Int {
        pattern.filter { !($0.hasPrefix(":") || $0 == "*" || $0 == "**" || $0.hasPrefix("{")) }.count
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        for (index, component) in pattern.enumerated() {
            if component == "**" { return true }
            guard index < path.count else { return false }
            if component.hasPrefix(":") || component == "*" || component.hasPrefix("{") { continue }
            if component != path[index] { return false }
        }
        return pattern.count == path.count
    }
}
