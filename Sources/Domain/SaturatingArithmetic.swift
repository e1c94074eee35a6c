extension Int {
    /// `self + other`, pinned to `Int.max`/`Int.min` instead of trapping: expiry times computed from stored settings or
    /// client input can never crash the server (Swift traps on overflow).
    public func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }
}
