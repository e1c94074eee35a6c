/// What `nexusone warehouse check` reports about the warehouse's role (docs/security.md "Warehouse role").
public struct WarehouseFinding: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Codable {
        /// The role can change the warehouse for good (write, create, own, act as superuser): give it fewer rights.
        case problem
        /// The role can do something the sandbox undoes at the end of every statement; revoking it is tidier.
        case note
    }

    public var severity: Severity
    public var message: String
    /// `serve` refuses a warehouse whose role has this power (unless told `--allow-privileged-warehouse`).
    public var blocksServing: Bool

    public init(_ severity: Severity, _ message: String, blocksServing: Bool = false) {
        self.severity = severity
        self.message = message
        self.blocksServing = blocksServing
    }

    enum CodingKeys: String, CodingKey {
        case severity, message
        case blocksServing = "blocks_serving"
    }
}
