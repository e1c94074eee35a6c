/// Which warehouse a URL names: `postgres://…` (or `postgresql://`) is PostgreSQL, anything else a SQLite file path.
public enum WarehouseURL {
    public static func isPostgres(_ url: String) -> Bool { url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") }
}
