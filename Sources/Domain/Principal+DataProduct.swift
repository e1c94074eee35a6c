
extension Principal {
    /// A data product is managed (deleted, its keys made and ended) by its creator and by the realm's `nx1_engineer`s
    /// and `nx1_admin`s.
    public func mayManage(_ product: DataProduct) -> Bool {
        dataProductId == nil && product.realm == realm
            && (product.createdBy == subject || has(role: NexusOneRoles.admin) || has(role: NexusOneRoles.engineer))
    }

    /// A data product's rows are read by holders of its role, and by its own keys.
    public func mayRead(_ product: DataProduct) -> Bool {
        product.realm == realm && (dataProductId.map { $0 == product.id } ?? has(role: product.roleName))
    }
}
