/// One page of a list, as Keycloak's admin REST asks for it: skip `first` entries, return at most `max` (nil: all).
public struct ListWindow: Sendable, Equatable {
    public let first: Int
    public let max: Int?

    /// Negative values mean "from the start" and "no limit", as Keycloak reads them.
    public init(first: Int = 0, max: Int? = nil) {
        self.first = Swift.max(0, first)
        self.max = max.flatMap { $0 < 0 ? nil : $0 }
    }

    public static let all = ListWindow()

    /// The window of an in-memory list.
    public func slice<Element>(_ elements: [Element]) -> [Element] {
        guard first < elements.count else { return [] }
        let end = max.map { Swift.min(elements.count, first.addingSaturated($0)) } ?? elements.count
        return Array(elements[first..<end])
    }
}
