import Domain
import Foundation
import FuzzerDriver
import HTTPKit
import Identity
import JWTKit
import RealmEndpoints
import SQLKit
import Tokens
import UseCases
import Warehouses

/// Hands the command line to libFuzzer, which calls `fuzzOneInput` with each input.
@main
enum NexusOneFuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}

/// Every parser that reads untrusted input gets each input (or, with `NEXUSONE_FUZZ_TARGET`, one of them). A crash, a
/// trap or a broken property below is a finding; thrown errors are the expected answers. Exported under libFuzzer's own
/// name as well, which its runtime links against.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    let text = String(decoding: bytes, as: UTF8.self)
    for target in FuzzTarget.selected { target.run(text, bytes) }
    return 0
}

enum FuzzTarget: String, CaseIterable {
    case sql, filter, psk, form, jwt, admin

    static let selected: [FuzzTarget] =
        ProcessInfo.processInfo.environment["NEXUSONE_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:)).map { [$0] } ?? allCases

    func run(_ text: String, _ bytes: [UInt8]) {
        switch self {
        case .sql: Self.sql(text)
        case .filter: Self.filter(text)
        case .psk: Self.psk(text)
        case .form: Self.form(text)
        case .jwt: Self.jwt(text, bytes)
        case .admin: Self.admin(bytes)
        }
    }

    static let columns = ["order_id", "order_date", "channel", "status", "total_amount"]

    /// The read-only guard: what it accepts, it accepts again (the statement it returns is the same statement).
    static func sql(_ text: String) {
        for dialect in [WarehouseKind.sqlite, .postgres] {
            _ = ReadOnlySQL.identifiers(in: text, dialect: dialect)
            // The PostgreSQL scope check's reading of names: no name longer than PostgreSQL keeps.
            if dialect == .postgres, let names = PostgresNames(statement: text), names.names.contains(where: { $0.utf8.count > PostgresNames.maximumBytes }) {
                fatalError("a name longer than 63 bytes: \(text.debugDescription)")
            }
            guard let statement = try? ReadOnlySQL.check(text, dialect: dialect) else { continue }
            guard (try? ReadOnlySQL.check(statement, dialect: dialect)) == statement else { fatalError("guard is not idempotent: \(text.debugDescription)") }
        }
    }

    /// Filter and order parsers, and the SQL they become: values only ever as binds.
    static func filter(_ text: String) {
        let filter = try? FilterParser.parse(text, columns: columns)
        let order = (try? OrderParser.parse(text, columns: columns)) ?? []
        guard filter != nil || !order.isEmpty else { return }
        let statement = WarehouseQuery.page(
            of: "SELECT * FROM orders", filter: filter, order: order, start: 0, limit: 10, kind: .postgres, scope: TableScope(tables: ["orders"]))
        guard statement.maximumRows == 11 else { fatalError("row cap lost") }
    }

    static func psk(_ text: String) {
        guard let kind = PSKFormat.kind(of: text) else { return }
        guard text.hasPrefix(kind.prefix), !PSKFormat.hint(text).isEmpty else { fatalError("accepted a key without its prefix") }
    }

    static func form(_ text: String) {
        for pair in FormURLEncoding.pairs(Substring(text)) { _ = pair.name.map { FormURLEncoding.decode(Substring($0)) } }
        _ = BearerTokenAuthenticator.bearerToken(text)
        // `--trusted-proxy` values and X-Forwarded-For as a client sends it: the address found is the peer's or a header entry.
        _ = try? TrustedProxies(parsing: text.split(separator: ",").map(String.init))
        let client = proxies.clientAddress(peer: "10.0.0.1", forwardedFor: [text])
        guard client == "10.0.0.1" || text.contains(client) else { fatalError("an address from nowhere: \(client)") }
    }

    static let proxies = try! TrustedProxies(parsing: ["10.0.0.0/8", "fd00::/8"])

    static func jwt(_ text: String, _ bytes: [UInt8]) {
        _ = try? UnverifiedIssuer(text)
        _ = try? DefaultJWTParser().parse(bytes, as: AccessTokenClaims.self)
        _ = try? DefaultJWTParser().parse(bytes, as: IDTokenClaims.self)
    }

    /// Keycloak representations as the admin REST decodes them; realm settings either apply within range or are refused.
    static func admin(_ bytes: [UInt8]) {
        let data = Data(bytes)
        _ = try? JSONDecoder().decode(UserRepresentation.self, from: data)
        _ = try? JSONDecoder().decode(ClientRepresentation.self, from: data)
        guard let body = try? JSONDecoder().decode(RealmRepresentation.self, from: data) else { return }
        var realm = Realm(name: "fuzz", createdAt: 0)
        guard let settings = try? AdminRealmsController.settings(body) else { return }
        settings.apply(to: &realm)
        guard Realm.lifespanRange.contains(realm.accessTokenLifespan), Realm.lifespanRange.contains(realm.refreshTokenLifespan) else {
            fatalError("a lifespan out of range was applied")
        }
        _ = Int.max.addingSaturated(realm.accessTokenLifespan)
    }
}
