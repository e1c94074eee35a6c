import Foundation
import HummingbirdTesting
import Storage
import Testing

/// One rule per input, the same on every surface (architecture.md "Values"): the admin REST, the API and the login
/// page refuse what the use cases refuse, with the rule's own message.
@Suite("Input rules are the Domain's, on every surface")
struct InputRuleTests {
    @Test("names and email over 255 characters are refused by the admin REST, on create and on update")
    func nameLengths() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let admin = try await app.masterAdminToken(client)
            let long = String(repeating: "n", count: 256)
            let created = try await client.json(
                "/admin/realms/\(app.realm)/users", method: .post, token: admin, body: #"{"username":"longname","firstName":"\#(long)"}"#)
            #expect(created.status == .badRequest)
            #expect(created.object["errorMessage"] as? String == "At most 255 characters")
            let userId = try await SessionTests.createAlice(app, client)
            let updated = try await client.json(
                "/admin/realms/\(app.realm)/users/\(userId)", method: .put, token: admin, body: #"{"lastName":"\#(long)"}"#)
            #expect(updated.status == .badRequest)
            let fits = try await client.json(
                "/admin/realms/\(app.realm)/users/\(userId)", method: .put, token: admin, body: #"{"lastName":"\#(long.dropLast())"}"#)
            #expect(fits.status == .noContent)
        }
    }

    @Test("a prompt over 1,000 characters is refused beside SQL and as a question alike")
    func promptLength() async throws {
        try await TestApp.run(on: .sqlite) { app, client in
            let token = try await app.serviceToken(client)
            let long = String(repeating: "p", count: 1_001)
            let submitted = try await client.post("/api/query/submit", token: token, ["query": "SELECT 1 AS one", "prompt": long])
            #expect(submitted.status == .unprocessableContent)
            #expect(submitted.problem?.loc == ["body", "prompt"])
            let asked = try await client.post("/api/query/ask", token: token, ["domain": "sales", "prompt": long])
            #expect(asked.status == .unprocessableContent)
            #expect(asked.problem?.loc == ["body", "prompt"])
            let bigSQL = try await client.post("/api/query/submit", token: token, ["query": "SELECT '" + String(repeating: "x", count: 100_000) + "'"])
            #expect(bigSQL.status == .unprocessableContent)
            #expect(bigSQL.problem?.loc == ["body", "query"])
        }
    }
}
