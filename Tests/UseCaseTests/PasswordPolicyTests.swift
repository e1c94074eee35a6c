import DatabaseFixtures
import Domain
import Identity
import Storage
import Testing
import UseCases

/// Keycloak's password policy: read as Keycloak writes it, enforced wherever a password is set, on both databases.
@Suite("Password policy")
struct PasswordPolicyTests {
    @Test("the policy text reads back with Keycloak's defaults; unknown and unenforced policies are refused by name")
    func parsing() throws {
        let policy = try PasswordPolicy("length(12) and digits and upperCase(1) and  specialChars(2) and notUsername and passwordHistory")
        #expect(policy.description == "length(12) and digits(1) and upperCase(1) and specialChars(2) and notUsername and passwordHistory(3)")
        #expect(policy.historyDepth == 3 && policy.expiryDays == nil)
        #expect(try PasswordPolicy("").rules.isEmpty)
        for refused in ["hashIterations(27500)", "regexPattern(.*)", "nonsense", "length(abc)", "length(-1)", "length(8"] {
            #expect(throws: ValueError.self, "\(refused)") { try PasswordPolicy(refused) }
        }
        let (kept, dropped) = PasswordPolicy.enforceablePart(of: "hashIterations(27500) and length(10) and regexPattern(x)")
        #expect(kept.description == "length(10)" && dropped == ["hashIterations(27500)", "regexPattern(x)"])
        // A policy no password can meet is refused, and an import drops the term that makes it so.
        #expect(throws: ValueError.self) { try PasswordPolicy("length(12) and maxLength(10)") }
        #expect(throws: ValueError.self) { try PasswordPolicy("digits(6) and upperCase(6) and maxLength(10)") }
        #expect(PasswordPolicy.enforceablePart(of: "length(12) and maxLength(10)").dropped == ["maxLength(10)"])
        let tight = try PasswordPolicy("length(12) and maxLength(12) and digits(3) and specialChars(3)")
        #expect(tight.violation(of: SecretGenerator.oneTimePassword(meeting: tight), username: "u", email: nil) == nil)
    }

    @Test("each rule says what Keycloak says")
    func violations() throws {
        let policy = try PasswordPolicy("length(10) and maxLength(20) and digits(2) and lowerCase and upperCase and specialChars and notContainsUsername and notEmail")
        func key(_ password: String) -> String? { policy.violation(of: password, username: "Dana", email: "d@example.com")?.key }
        #expect(key("Short1!") == "invalidPasswordMinLengthMessage")
        #expect(key("Waytoolongpassword1!!!!!") == "invalidPasswordMaxLengthMessage")
        #expect(key("Nodigitshere!") == "invalidPasswordMinDigitsMessage")
        #expect(key("ALLUPPER12!!") == "invalidPasswordMinLowerCaseCharsMessage")
        #expect(key("alllower12!!") == "invalidPasswordMinUpperCaseCharsMessage")
        #expect(key("NoSpecial123") == "invalidPasswordMinSpecialCharsMessage")
        #expect(key("xxDANAxx12!") == "invalidPasswordNotContainsUsernameMessage")
        #expect(key("Fine-pass-12") == nil)
        #expect(policy.violation(of: "Short1!", username: "u", email: nil)?.message == "Invalid password: minimum length 10.")
        #expect(try PasswordPolicy("notEmail").violation(of: "D@Example.com", username: "u", email: "d@example.com")?.key == "invalidPasswordNotEmailMessage")
    }

    @Test("a reset, a new user and the forced change follow the realm's policy; history refuses the last passwords", arguments: TestDatabases.kinds)
    func enforced(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let (admin, actor, realm) = (world.administration, world.operatorCLI, UseCaseWorld.realm)
            let userId = try await world.user("hana", password: "First-password-1")
            try await admin.updateRealm(actor, realm: realm, settings: try RealmSettings(passwordPolicy: "length(10) and digits(1) and passwordHistory(3)"))
            do {
                try await admin.resetPassword(actor, realm: realm, userId: userId, password: try UserPassword("short1"), temporary: false)
                Issue.record("a password under the policy's length was set")
            } catch let refused as PasswordPolicyViolation {
                #expect(refused.violation.key == "invalidPasswordMinLengthMessage" && refused.message == "Invalid password: minimum length 10.")
            }
            await #expect(throws: PasswordPolicyViolation.self, "the current password counts in the history") {
                try await admin.resetPassword(actor, realm: realm, userId: userId, password: try UserPassword("First-password-1"), temporary: false)
            }
            try await admin.resetPassword(actor, realm: realm, userId: userId, password: try UserPassword("Second-password-2"), temporary: false)
            try await admin.resetPassword(actor, realm: realm, userId: userId, password: try UserPassword("Third-password-3"), temporary: false)
            await #expect(throws: PasswordPolicyViolation.self, "two back is still remembered") {
                try await admin.resetPassword(actor, realm: realm, userId: userId, password: try UserPassword("First-password-1"), temporary: false)
            }
            try await admin.resetPassword(actor, realm: realm, userId: userId, password: try UserPassword("Fourth-password-4"), temporary: false)
            try await admin.resetPassword(actor, realm: realm, userId: userId, password: try UserPassword("First-password-1"), temporary: true)

            await #expect(throws: PasswordPolicyViolation.self) {
                _ = try await admin.createUser(actor, realm: realm, .init(username: try Identifier.username("ivan"), password: .given(try UserPassword("nodigitsatall"), temporary: false)))
            }
            let (_, oneTime) = try await admin.createUser(actor, realm: realm, .init(username: try Identifier.username("jo"), password: .oneTime))
            #expect(try PasswordPolicy("length(10) and digits(1)").violation(of: oneTime ?? "", username: "jo", email: nil) == nil)

            // The forced change: the realm's rule refuses, then a good password goes through.
            let proof = try await world.passwordSignIn(realm: realm, username: "hana", password: "First-password-1", address: "10.0.0.9")
            let now = world.clock.now
            #expect(try await world.passwordSignIn.replaceRequiredPassword(proof, with: "tooshort", now: now) == .refused("Invalid password: minimum length 10."))
            #expect(try await world.passwordSignIn.replaceRequiredPassword(proof, with: "Third-password-3", now: now)
                == .refused("Invalid password: must not be equal to any of last 3 passwords."))
            #expect(try await world.passwordSignIn.replaceRequiredPassword(proof, with: "Fifth-password-5", now: now).isReplaced)
        }
    }

    @Test("forceExpiredPasswordChange: an expired password signs in once more, to choose the next one", arguments: TestDatabases.kinds)
    func expiry(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let (admin, actor, realm) = (world.administration, world.operatorCLI, UseCaseWorld.realm)
            _ = try await world.user("kim", password: "kim-password-1")
            try await admin.updateRealm(actor, realm: realm, settings: try RealmSettings(passwordPolicy: "forceExpiredPasswordChange(2)"))
            #expect(try await !world.passwordSignIn(realm: realm, username: "kim", password: "kim-password-1", address: "10.0.0.8").user.mustChangePassword)
            world.clock.advance(2 * 86_400)
            let proof = try await world.passwordSignIn(realm: realm, username: "kim", password: "kim-password-1", address: "10.0.0.8")
            #expect(proof.user.mustChangePassword)
            #expect(try await world.passwordSignIn.replaceRequiredPassword(proof, with: "kim-password-2", now: world.clock.now).isReplaced)
            #expect(try await !world.passwordSignIn(realm: realm, username: "kim", password: "kim-password-2", address: "10.0.0.8").user.mustChangePassword)
        }
    }
}
