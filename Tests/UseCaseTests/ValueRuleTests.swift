import DatabaseFixtures
import Domain
import Storage
import Testing
import UseCases

/// The Domain's input rules hold in the use cases themselves, whichever front end calls them.
@Suite("Input rules in the use cases")
struct ValueRuleTests {
    @Test("a name or an email over 255 characters is refused on create and on update; 255 fits", arguments: TestDatabases.kinds)
    func profileLengths(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let long = String(repeating: "x", count: 256)
            let admin = world.administration
            await #expect(throws: ValueError.self) {
                _ = try await admin.createUser(
                    world.operatorCLI, realm: UseCaseWorld.realm, .init(username: try Identifier.username("ivy"), profile: UserProfile(firstName: long)))
            }
            let userId = try await world.user("ivy")
            do {
                _ = try await admin.updateUser(world.operatorCLI, realm: UseCaseWorld.realm, userId: userId, UserProfile(email: .some(long)))
                Issue.record("a 256-character email was stored")
            } catch let error as ValueError {
                #expect(error.field == "email" && error.rule == .tooLong)
            }
            let fits = try await admin.updateUser(
                world.operatorCLI, realm: UseCaseWorld.realm, userId: userId, UserProfile(lastName: String(long.dropLast())))
            #expect(fits.lastName?.count == 255)
        }
    }

    @Test("prompts, SQL and chosen passwords: each rule with its message")
    func values() throws {
        #expect(throws: ValueError.self) { try PromptText(String(repeating: "p", count: 1_001), required: false) }
        #expect(try PromptText(nil, required: false).value == "")
        #expect(throws: ValueError.self) { try PromptText("", required: true) }
        #expect(throws: ValueError.self) { try QueryText(String(repeating: "s", count: QueryText.maximumBytes + 1)) }
        #expect(try QueryText("SELECT 1").value == "SELECT 1")
        #expect(try UserPassword("short").value == "short", "an administrator may set a short one, as Keycloak without a policy")
        do {
            _ = try UserPassword("short", setBy: .owner)
            Issue.record("a chosen password under the minimum was accepted")
        } catch {
            #expect(error.message == UserPassword.chosenTooShort)
        }
    }
}
