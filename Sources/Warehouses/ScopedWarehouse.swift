import Domain

/// One realm's view of the warehouse: the warehouse it reads and the tables it may read there. Every statement of
/// user SQL goes through one, so none can leave out the scope.
public struct ScopedWarehouse: Sendable {
    public let warehouse: any Warehouse
    public let scope: TableScope

    public init(_ warehouse: any Warehouse, scope: TableScope) {
        self.warehouse = warehouse
        self.scope = scope
    }

    public var kind: WarehouseKind { warehouse.kind }

    /// One page of a view's rows (one more than `limit`, which tells whether another follows).
    public func page(of view: String, filter: FilterExpression? = nil, order: [OrderTerm] = [], start: Int, limit: Int) async throws -> ResultSet {
        try await warehouse.select(WarehouseQuery.page(of: view, filter: filter, order: order, start: start, limit: limit, kind: kind, scope: scope))
    }

    /// The view's column names, known even when it has no rows.
    public func columns(of view: String) async throws -> [String] {
        try await WarehouseQuery.columns(of: view, in: warehouse, scope: scope)
    }
}
