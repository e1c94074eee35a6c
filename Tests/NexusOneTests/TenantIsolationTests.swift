import DatabaseFixtures
import Domain
import Foundation
import HummingbirdTesting
import SQLKit
import Storage
import Testing
import UseCases
import Warehouses

/// A realm's user SQL reads only the tables of its domains, by any route (docs/security.md "Tenant isolation").
@Suite("Tenant isolation")
struct TenantIsolationTests {
    /// A second customer on the same server and warehouse, and a service token of its own.
    static func secondRealm(_ app: TestApp, _ client: any TestClientProtocol, name: String = "companyb") async throws -> (realm: String, token: String) {
        let deployed = try await app.services.deploy(.operatorCLI(realm: name), DeploymentRequest(clientName: name))
        let response = try await client.form(
            "/realms/\(name)/protocol/openid-connect/token",
            [("grant_type", "client_credentials"), ("client_id", deployed.clientId), ("client_secret", try #require(deployed.clientSecret))])
        return (name, try #require(response.object["access_token"] as? String))
    }

    @Test("deleting a domain ends reads of its tables at once, in saved queries, data products and new SQL; the other realm still reads them",
        arguments: TestDatabases.kinds)
    func deletedDomain(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let (realmB, tokenB) = try await Self.secondRealm(app, client)
            let read = "SELECT customer_id, name FROM customers ORDER BY customer_id"
            let saved = try await client.post("/api/query/submit", token: tokenB, ["query": read])
            #expect(saved.object["error"] is NSNull)
            let queryId = try #require(saved.object["id"] as? String)
            let product = try await client.post(
                "/api/dataproduct", token: tokenB, ["name": "b_customers", "role_name": NexusOneRoles.ask, "query": read])
            #expect(product.status == .ok)
            #expect(try await client.json("/api/data/b_customers?limit=5", method: .get, token: tokenB).status == .ok)

            try await DeleteDomain(catalog: app.services.catalog)(.operatorCLI(realm: realmB), name: "customers")

            let page = try await client.json("/api/query/\(queryId)/data", method: .get, token: tokenB)
            #expect(page.status == .unprocessableContent)
            #expect(page.problem?.msg.contains("reading 'customers' is not allowed") == true, "\(page.text)")
            let data = try await client.json("/api/data/b_customers?limit=5", method: .get, token: tokenB)
            #expect(data.status == .unprocessableContent, "\(data.text)")
            let again = try await client.post("/api/query/submit", token: tokenB, ["query": read])
            #expect((again.object["error"] as? String)?.contains("reading 'customers' is not allowed") == true, "\(again.text)")
            #expect(try await client.post("/api/query/suggest", token: tokenB, ["domain": "customers"]).status == .notFound)
            // Naming a CTE after a table of the realm's domains does not make another table readable through it.
            let disguised = try await client.post("/api/query/submit", token: tokenB, ["query": "WITH orders AS (SELECT * FROM customers) SELECT count(*) AS n FROM orders"])
            #expect((disguised.object["error"] as? String)?.contains("'customers' is not allowed") == true, "\(disguised.text)")
            // What the realm's domains still hold reads as before.
            #expect(try await client.post("/api/query/submit", token: tokenB, ["query": "SELECT count(*) AS n FROM orders"]).object["error"] is NSNull)

            let tokenA = try await app.serviceToken(client)
            let fromA = try await client.post("/api/query/submit", token: tokenA, ["query": read])
            #expect(fromA.object["error"] is NSNull, "\(fromA.text)")
            let rowsA = try await client.json("/api/query/\(try #require(fromA.object["id"] as? String))/data?limit=3", method: .get, token: tokenA)
            #expect(rowsA.status == .ok && rowsA.rows.count == 3)
        }
    }

    @Test("a table in no domain of the realm cannot be read, nor through a function that runs SQL from a string", arguments: TestDatabases.kinds)
    func outsideDomains(kind: DatabaseKind) async throws {
        try await TestApp.run(on: kind) { app, client in
            let (realmB, tokenB) = try await Self.secondRealm(app, client, name: "companyc")
            // companyc keeps only the catalog domain.
            for domain in ["sales", "customers"] { try await DeleteDomain(catalog: app.services.catalog)(.operatorCLI(realm: realmB), name: domain) }
            let attempts = [
                "SELECT * FROM support_tickets",
                "SELECT p.name, (SELECT count(*) FROM order_items) AS n FROM products p",
                "SELECT * FROM products WHERE product_id IN (SELECT product_id FROM order_items)",
            ] + (kind == .postgres ? [
                "SELECT query_to_xml('SELECT * FROM customers', true, true, '')", "SELECT * FROM public.customers",
                "SELECT schema_to_xml_and_xmlschema('public', true, false, '')", "SELECT database_to_xmlschema(true, false, '')",
                // A table named like one of the realm's, in another schema of the warehouse (TestWarehouses makes it).
                "SELECT * FROM nx1_other_schema.products", "SELECT * FROM \"customers\"",
            ] : [])
            for sql in attempts {
                let answer = try await client.post("/api/query/submit", token: tokenB, ["query": sql])
                let refused = answer.status == .unprocessableContent || (answer.object["error"] as? String)?.isEmpty == false
                #expect(refused, "\(sql): \(answer.text)")
            }
            #expect(try await client.post("/api/query/submit", token: tokenB, ["query": "SELECT count(*) AS n FROM products"]).object["error"] is NSNull)
            if kind == .postgres {
                // A keyword or column that is also a catalog's relation name (information_schema.columns) is no read of it.
                let xml = "SELECT * FROM XMLTABLE('/a' PASSING CAST('<a>1</a>' AS xml) COLUMNS x text PATH '.') AS t"
                let answer = try await client.post("/api/query/submit", token: tokenB, ["query": xml])
                #expect(answer.object["error"] is NSNull, "\(answer.text)")
            }
        }
    }

    @Test("a realm with a warehouse of its own reads that warehouse only; other realms do not see its tables")
    func ownWarehouse() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let (realmB, tokenB) = try await Self.secondRealm(app, client, name: "companyd")
            let path = app.directory + "/companyd.sqlite"
            let own = SQLiteWarehouse(path: path, logger: TestDatabases.logger)
            try await own.ensureDemoData()
            try await Self.createTable("CREATE TABLE d_secrets (id INTEGER, note TEXT); INSERT INTO d_secrets VALUES (1, 'only for d')", in: path)
            let set = SetRealmWarehouse(changes: app.services.changes, secrets: app.services.secrets, warehouses: app.services.warehouses, clock: app.services.clock)
            try await set(.operatorCLI(realm: realmB), realm: realmB, url: path)
            let domain = try await CreateDomain(catalog: app.services.catalog)(
                .operatorCLI(realm: realmB), name: try ResourceName("secrets"), description: try DescriptionText(""), tables: try DomainTables(["d_secrets"]))
            #expect(domain.tables == ["d_secrets"])
            let mine = try await client.post("/api/query/submit", token: tokenB, ["query": "SELECT note FROM d_secrets"])
            #expect(mine.object["error"] is NSNull, "\(mine.text)")
            let rows = try await client.json("/api/query/\(try #require(mine.object["id"] as? String))/data", method: .get, token: tokenB)
            #expect(rows.rows == [["only for d"]])
            // The realm on the server's warehouse has no such table to put in a domain.
            await #expect(throws: CatalogError.unknownTable("d_secrets")) {
                try await CreateDomain(catalog: app.services.catalog)(
                    .operatorCLI(realm: app.realm), name: try ResourceName("stolen"), description: try DescriptionText(""), tables: try DomainTables(["d_secrets"]))
            }
            // Back on the server's warehouse, the realm's own table is gone with it.
            try await set(.operatorCLI(realm: realmB), realm: realmB, url: nil)
            let back = try await client.json("/api/query/\(try #require(mine.object["id"] as? String))/data", method: .get, token: tokenB)
            #expect(back.status == .unprocessableContent, "\(back.text)")
        }
    }

    @Test("a warehouse may not be the system database, however its URL spells it", arguments: TestDatabases.kinds)
    func systemDatabaseRefused(kind: DatabaseKind) async throws {
        switch kind {
        case .sqlite:
            try await TestDatabases.withFresh(.sqlite) { database, directory in
                let system = try await WarehouseAdmission.systemDatabase(url: directory + "/nexusone.sqlite", database: database)
                let admission = WarehouseAdmission(system: system, allowPrivileged: true, logger: TestDatabases.logger)
                await #expect(throws: WarehouseAdmission.Refusal.self) { try await admission.admit(url: directory + "/./nexusone.sqlite") }
                #expect(try await admission.admit(url: directory + "/warehouse.sqlite") == [])
            }
        case .postgres:
            let url = try await TestWarehouses.shared(.postgres).url
            let store = try PostgresStore(url: url, logger: TestDatabases.logger)
            try await DatabaseFactory.withDatabase(store) { database in
                let system = try await WarehouseAdmission.systemDatabase(url: url, database: database)
                let admission = WarehouseAdmission(system: system, allowPrivileged: true, logger: TestDatabases.logger)
                await #expect(throws: WarehouseAdmission.Refusal.self) { try await admission.admit(url: url.replacingOccurrences(of: "127.0.0.1", with: "localhost")) }
            }
        }
    }

    static func createTable(_ sql: String, in path: String) async throws {
        let database = try await SQLiteStore.open(path: path, logger: TestDatabases.logger)
        try await DatabaseFactory.withDatabase(database) { database in
            try await database.transaction { sql_ in
                for statement in sql.split(separator: ";") { try await sql_.raw(SQLQueryString(String(statement))).run() }
            }
        }
    }
}
