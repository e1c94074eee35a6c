import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing
import Warehouses

/// Shortcuts for the query and data tests: roles for Alice, JSON bodies, and the warehouse's own answer to SQL.
extension TestApp {
    /// Creates the realm role if needed and grants it to the user (Keycloak admin API, as the master administrator).
    func grant(_ role: String, to userId: String, _ client: any TestClientProtocol) async throws {
        let admin = try await masterAdminToken(client)
        _ = try await client.json("/admin/realms/\(realm)/roles", method: .post, token: admin, body: #"{"name":"\#(role)"}"#)
        let found = try await client.json("/admin/realms/\(realm)/roles/\(role)", method: .get, token: admin)
        let id = try #require(found.object["id"] as? String)
        let granted = try await client.json(
            "/admin/realms/\(realm)/users/\(userId)/role-mappings/realm", method: .post, token: admin, body: #"[{"id":"\#(id)","name":"\#(role)"}]"#)
        #expect(granted.status == .noContent)
    }

    /// The rows the warehouse itself gives for `sql`, as the API's JSON would show them.
    func warehouseRows(_ sql: String) async throws -> [[String]] {
        try await services.warehouse.select(SQLRaw(sql)).rows.map { row in
            row.map { cell in
                if case .real(let value) = cell, value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
                return cell.plainText
            }
        }
    }
}

extension TestClientProtocol {
    func post(_ uri: String, token: String, _ body: [String: Any]) async throws -> TestResponse {
        try await json(uri, method: .post, token: token, body: String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
    }

    func get(_ uri: String, psk: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: [.init("Authorization-PSK")!: psk])
    }
}

extension TestResponse {
    /// `data` of a page, each value as text (numbers as Swift prints them, null as "").
    var rows: [[String]] {
        (object["data"] as? [[Any]] ?? []).map { row in
            row.map { value in
                switch value {
                case is NSNull: ""
                case let number as NSNumber where number.doubleValue.rounded() == number.doubleValue && abs(number.doubleValue) < 1e15:
                    String(number.int64Value)
                case let number as NSNumber: String(number.doubleValue)
                default: "\(value)"
                }
            }
        }
    }

    /// The first 422 problem's location and message.
    var problem: (loc: [String], msg: String)? {
        guard let first = (object["detail"] as? [[String: Any]])?.first else { return nil }
        return (first["loc"] as? [String] ?? [], first["msg"] as? String ?? "")
    }
}

/// Percent-encodes a query parameter value.
func encoded(_ value: String) -> String { FormEncoding.encode(value) }
