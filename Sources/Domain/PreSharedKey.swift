/// What is known about a pre-shared key. The key itself is never part of it; only its hint.
public struct PreSharedKey: Sendable, Equatable, Codable {
    public var id: String
    public var realm: String
    public var kind: PSKKind
    /// The user the key acts as (for data-product keys: the user who created it).
    public var userId: String
    public var dataProductId: String?
    public var description: String
    public var hint: String
    public var createdAt: Int
    public var updatedAt: Int
    public var expiresAt: Int?
    public var isActive: Bool
    public var isDeleted: Bool
    public var deletedAt: Int?
    public var lastUsedAt: Int?
    public var lastUsedIp: String?
    /// The PSK that authenticated this key's creation, if one did; this key ends when that one is revoked or deleted.
    public var createdByKeyId: String?

    public init(
        id: String, realm: String, kind: PSKKind, userId: String, dataProductId: String? = nil, description: String, hint: String,
        createdAt: Int, expiresAt: Int? = nil, createdByKeyId: String? = nil
    ) {
        self.id = id
        self.realm = realm
        self.kind = kind
        self.userId = userId
        self.dataProductId = dataProductId
        self.description = description
        self.hint = hint
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.expiresAt = expiresAt
        self.isActive = true
        self.isDeleted = false
        self.createdByKeyId = createdByKeyId
    }

    /// Whether the key may be used at `now` (active, not deleted, not expired).
    public func isUsable(at now: Int) -> Bool {
        isActive && !isDeleted && (expiresAt.map { $0 > now } ?? true)
    }
}

/// A key with its owner's username, as an administrator lists a realm's keys.
public struct OwnedKey: Sendable {
    public var key: PreSharedKey
    public var username: String

    public init(key: PreSharedKey, username: String) {
        self.key = key
        self.username = username
    }
}
