/// A data product (NexusOne's "view"): a named query whose rows holders of `roleName`, or its own keys, may read.
public struct DataProduct: Sendable, Equatable, Codable {
    public var id: String
    public var realm: String
    public var name: String
    public var roleName: String
    public var domainUrn: String
    public var query: String
    public var queryId: String?
    public var createdBy: String
    public var createdAt: Int
    public var isDeleted: Bool
    public var deletedAt: Int?

    public init(
        id: String, realm: String, name: String, roleName: String, domainUrn: String = "", query: String, queryId: String? = nil,
        createdBy: String, createdAt: Int
    ) {
        self.id = id
        self.realm = realm
        self.name = name
        self.roleName = roleName
        self.domainUrn = domainUrn
        self.query = query
        self.queryId = queryId
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.isDeleted = false
    }
}
