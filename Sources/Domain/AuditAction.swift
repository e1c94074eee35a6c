/// What an audit entry records about a key (psk.md "Audit").
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case create
    case regenerate
    case extend
    case delete
    case revoke
    /// An expired key was presented.
    case expire
    /// An unknown, revoked or deleted key was presented.
    case failedUse = "failed_use"
    case deleteDataProduct = "delete_data_product"
}
