import HTTPTypes
import Synchronization

/// The memory that pages — of data, and of the portal — may hold while they are written, all together. A page stays in
/// memory until its client has read it, and a client that does not read holds it as long as it likes: past this
/// budget, another page is 503 with `Retry-After` rather than one more result of up to 8 MiB (48 MiB escaped) held for
/// nobody. Ordinary pages take a few kilobytes of it.
public final class PageBudget: Sendable {
    private let held = Atomic<Int>(0)
    let limit: Int

    public init(limit: Int = 64 << 20) { self.limit = limit }

    /// Takes `bytes` of the budget until the reservation is gone (with the response that holds it, however its writing
    /// ended), or throws the 503 when they do not fit.
    package func reserve(_ bytes: Int) throws -> Reservation {
        let now = held.wrappingAdd(bytes, ordering: .relaxed).newValue
        guard now <= limit else {
            held.wrappingSubtract(bytes, ordering: .relaxed)
            throw APIError(status: .serviceUnavailable, detail: "Too many large pages are being sent; try again shortly", retryAfter: 5)
        }
        return Reservation(budget: self, bytes: bytes)
    }

    /// Counts a page that must go out whatever the budget holds (one that shows a secret made by a write already
    /// committed: refused, the secret would be lost). Such pages are small and follow a signed-in person's change.
    package func reserveAlways(_ bytes: Int) -> Reservation {
        held.wrappingAdd(bytes, ordering: .relaxed)
        return Reservation(budget: self, bytes: bytes)
    }

    package var heldBytes: Int { held.load(ordering: .relaxed) }

    package final class Reservation: Sendable {
        private let budget: PageBudget
        private let bytes: Int

        init(budget: PageBudget, bytes: Int) {
            self.budget = budget
            self.bytes = bytes
        }

        deinit { budget.held.wrappingSubtract(bytes, ordering: .relaxed) }
    }
}
