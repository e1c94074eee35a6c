extension Int {
    /// Seconds since the epoch as Keycloak's representations give times (milliseconds), pinned rather than trapping:
    /// a stored time from an import can be any integer.
    public var keycloakMilliseconds: Int {
        let (product, overflow) = multipliedReportingOverflow(by: 1000)
        return overflow ? (self < 0 ? .min : .max) : product
    }

    /// `self + other`, pinned to `Int.max`/`Int.min` instead of trapping: expiry times computed from stored settings or
    /// client input can never crash the server (Swift traps on overflow).
    public func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }

    /// `self × other`, pinned the same way.
    public func multipliedSaturated(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) != (other < 0) ? .min : .max) : product
    }
}
