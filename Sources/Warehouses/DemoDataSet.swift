import Domain
import Foundation
import SQLKit

/// The demo warehouse: a small shop's customers, products, orders, order lines and support tickets over two years —
/// about 27,000 rows, generated from a fixed seed so every installation (and every test) sees the same numbers.
public enum DemoDataSet {
    public struct DemoDomain: Sendable {
        public let name: String
        public let description: String
        public let tables: [String]
    }

    public static let domains = [
        DemoDomain(name: "sales", description: "Orders and order lines of the online shop", tables: ["orders", "order_items"]),
        DemoDomain(name: "customers", description: "Customers and their support tickets", tables: ["customers", "support_tickets"]),
        DemoDomain(name: "catalog", description: "Products and their prices", tables: ["products"]),
    ]

    static let customerCount = 1_200
    static let productCount = 96
    static let orderCount = 6_000
    static let ticketCount = 2_500

    /// Whether the demo tables are there already.
    public static func isLoaded(on sql: any SQLDatabase) async -> Bool {
        (try? await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all)).from("orders").all()) != nil
    }

    /// Creates and fills the demo tables in one transaction on a writable connection (`BEGIN`/`COMMIT` by the caller).
    public static func load(on sql: any SQLDatabase, kind: WarehouseKind) async throws {
        var random = SplitMix64(seed: 20_260_101)
        let date = DemoDate(kind: kind)
        let money = SQLDataType.custom(SQLRaw(kind == .postgres ? "NUMERIC(12,2)" : "NUMERIC"))
        let dateType = SQLDataType.custom(SQLRaw("DATE"))

        try await sql.create(table: "customers")
            .column("customer_id", type: .int, .primaryKey(autoIncrement: false)).column("name", type: .text, .notNull)
            .column("segment", type: .text, .notNull).column("country", type: .text, .notNull).column("signup_date", type: dateType, .notNull).run()
        try await sql.create(table: "products")
            .column("product_id", type: .int, .primaryKey(autoIncrement: false)).column("name", type: .text, .notNull)
            .column("category", type: .text, .notNull).column("unit_price", type: money, .notNull).run()
        try await sql.create(table: "orders")
            .column("order_id", type: .int, .primaryKey(autoIncrement: false))
            .column("customer_id", type: .int, .notNull, .references("customers", "customer_id"))
            .column("order_date", type: dateType, .notNull).column("channel", type: .text, .notNull).column("status", type: .text, .notNull)
            .column("total_amount", type: money, .notNull).run()
        try await sql.create(table: "order_items")
            .column("order_item_id", type: .int, .primaryKey(autoIncrement: false))
            .column("order_id", type: .int, .notNull, .references("orders", "order_id"))
            .column("product_id", type: .int, .notNull, .references("products", "product_id"))
            .column("quantity", type: .int, .notNull).column("amount", type: money, .notNull).run()
        try await sql.create(table: "support_tickets")
            .column("ticket_id", type: .int, .primaryKey(autoIncrement: false))
            .column("customer_id", type: .int, .notNull, .references("customers", "customer_id"))
            .column("opened_date", type: dateType, .notNull).column("priority", type: .text, .notNull).column("topic", type: .text, .notNull)
            .column("resolution_hours", type: money, .notNull).run()

        var customers = BatchInsert(sql: sql, table: "customers", columns: ["customer_id", "name", "segment", "country", "signup_date"])
        for id in 1...customerCount {
            let name = "\(random.pick(Names.first)) \(random.pick(Names.last))"
            let segment = random.weighted([("Consumer", 6), ("Small Business", 3), ("Enterprise", 1)])
            try await customers.add([id, name, segment, random.pick(Names.countries), date.value(random.below(730) - 365)])
        }
        try await customers.flush()

        var prices: [Double] = []
        var products = BatchInsert(sql: sql, table: "products", columns: ["product_id", "name", "category", "unit_price"])
        for id in 1...productCount {
            let category = Names.categories[(id - 1) % Names.categories.count]
            let price = Double(random.below(19_000) + 500) / 100
            prices.append(price)
            try await products.add([id, "\(random.pick(Names.adjectives)) \(category.dropLast(category.hasSuffix("s") ? 1 : 0).lowercased()) \(id)", category, price])
        }
        try await products.flush()

        var orders = BatchInsert(sql: sql, table: "orders", columns: ["order_id", "customer_id", "order_date", "channel", "status", "total_amount"])
        var itemRows: [[any Encodable & Sendable]] = []  // inserted after their orders, for the foreign key
        for id in 1...orderCount {
            // Later days get more orders: the shop grows.
            let day = Int(Double(random.below(1_000_000)).squareRoot() * 0.73)
            var total = 0.0
            for _ in 0..<(1 + random.below(4)) {
                let product = 1 + random.below(productCount)
                let quantity = 1 + random.below(3)
                let amount = (prices[product - 1] * Double(quantity) * 100).rounded() / 100
                total += amount
                itemRows.append([itemRows.count + 1, id, product, quantity, amount])
            }
            let status = random.weighted([("delivered", 80), ("shipped", 10), ("cancelled", 6), ("returned", 4)])
            let channel = random.weighted([("Web", 5), ("Mobile", 3), ("Store", 2), ("Partner", 1)])
            try await orders.add([id, 1 + random.below(customerCount), date.value(day), channel, status, (total * 100).rounded() / 100])
        }
        try await orders.flush()
        var items = BatchInsert(sql: sql, table: "order_items", columns: ["order_item_id", "order_id", "product_id", "quantity", "amount"])
        for row in itemRows { try await items.add(row) }
        try await items.flush()

        var tickets = BatchInsert(sql: sql, table: "support_tickets", columns: ["ticket_id", "customer_id", "opened_date", "priority", "topic", "resolution_hours"])
        for id in 1...ticketCount {
            let priority = random.weighted([("low", 4), ("normal", 8), ("high", 3), ("urgent", 1)])
            let hours = Double(random.below(960) + 5) / 10
            try await tickets.add([id, 1 + random.below(customerCount), date.value(random.below(730)), priority, random.pick(Names.topics), hours])
        }
        try await tickets.flush()
    }

    enum Names {
        static let first = ["Ada", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam", "Mia", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Yara", "Zoe"]
        static let last = ["Adams", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ito", "Jensen", "Kowalski", "Lopez", "Müller", "Novak", "O'Brien", "Petrov", "Rossi", "Schmidt", "Tanaka", "Weber"]
        static let countries = ["Germany", "France", "Spain", "Italy", "Netherlands", "Poland", "Sweden", "United Kingdom", "United States", "Canada"]
        static let categories = ["Books", "Electronics", "Garden", "Kitchen", "Outdoor", "Stationery", "Toys", "Apparel"]
        static let adjectives = ["Classic", "Compact", "Deluxe", "Eco", "Essential", "Pro", "Smart", "Ultra"]
        static let topics = ["billing", "delivery", "product", "account", "returns"]
    }
}

/// Rows collected and inserted a few hundred at a time (one multi-row `INSERT` with bound values).
struct BatchInsert {
    let sql: any SQLDatabase
    let table: String
    let columns: [String]
    var rows: [[any Encodable & Sendable]] = []

    mutating func add(_ row: [any Encodable & Sendable]) async throws {
        rows.append(row)
        if rows.count == 200 { try await flush() }
    }

    mutating func flush() async throws {
        guard !rows.isEmpty else { return }
        var insert = sql.insert(into: table).columns(columns)
        for row in rows { insert = insert.values(row.map { SQLBind($0) }) }
        try await insert.run()
        rows.removeAll()
    }
}

/// Demo dates: day offsets from 2023-01-01. SQLite stores ISO text; PostgreSQL gets a timestamp at noon UTC, which
/// its assignment cast turns into the same `date` in any session time zone within ±12 h.
struct DemoDate {
    let kind: WarehouseKind
    static let epoch = 1_672_531_200  // 2023-01-01T00:00:00Z

    func value(_ day: Int) -> any Encodable & Sendable {
        let date = Date(timeIntervalSince1970: TimeInterval(Self.epoch + day * 86_400 + 43_200))
        return kind == .postgres ? date : String(date.formatted(.iso8601).prefix(10))
    }
}

/// A small deterministic generator (SplitMix64): the demo data must not depend on the platform's random source.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    mutating func weighted(_ choices: [(String, Int)]) -> String {
        var roll = below(choices.reduce(0) { $0 + $1.1 })
        for (value, weight) in choices {
            if roll < weight { return value }
            roll -= weight
        }
        return choices[0].0
    }
}
