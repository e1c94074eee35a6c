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

/// One audit entry: who did what to which key, when and from where — never the key itself.
public struct AuditEvent: Sendable, Codable, Equatable {
    public var id: String
    public var realm: String
    public var at: Int
    public var actorId: String?
    public var action: AuditAction
    public var keyId: String?
    public var hint: String?
    public var address: String?
    public var detail: String

    public init(id: String, realm: String, at: Int, actorId: String?, action: AuditAction, keyId: String?, hint: String?, address: String?, detail: String = "") {
        self.id = id
        self.realm = realm
        self.at = at
        self.actorId = actorId
        self.action = action
        self.keyId = keyId
        self.hint = hint
        self.address = address
        self.detail = detail
    }
}
