import DatabaseFixtures
import Domain
import Identity
import Storage
import Testing
import UseCases

/// The identity capability and the session use cases, called as the front ends call them, on both databases.
@Suite("Identity and sessions, without HTTP")
struct IdentityUseCaseTests {
    @Test("effective roles: direct, through composites (cycles included), client roles by their client's clientId", arguments: TestDatabases.kinds)
    func effectiveRoles(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let admin = world.administration
            let realm = UseCaseWorld.realm
            let userId = try await world.user("dana")
            _ = try await admin.createRole(world.operatorCLI, realm: realm, name: try Identifier("analyst", field: "name"), description: "")
            _ = try await admin.createRole(world.operatorCLI, realm: realm, name: try Identifier("reader", field: "name"), description: "")
            // analyst contains reader and nx1_ask; reader contains analyst back (a cycle the walk must survive).
            try await admin.changeComposites(world.operatorCLI, realm: realm, parent: "analyst", parts: [.init(name: "reader"), .init(name: NexusOneRoles.ask)], add: true)
            try await admin.changeComposites(world.operatorCLI, realm: realm, parent: "reader", parts: [.init(name: "analyst")], add: true)
            try await admin.changeRoleMappings(world.operatorCLI, realm: realm, holder: .user(userId), roles: [.init(name: "analyst")], grant: true)

            let held = try await world.roles(userId: userId)
            #expect(held.realm.contains("analyst") && held.realm.contains("reader") && held.realm.contains(NexusOneRoles.ask))
            #expect(held.realm == held.realm.sorted())
            #expect(!held.realm.contains(NexusOneRoles.admin))
            #expect(held.all.count == Set(held.all.map(\.id)).count, "each role once, cycle or not")

            // Removing the composite link takes the child away at once: nothing is cached here.
            try await admin.changeComposites(world.operatorCLI, realm: realm, parent: "analyst", parts: [.init(name: NexusOneRoles.ask)], add: false)
            #expect(try await !world.roles(userId: userId).realm.contains(NexusOneRoles.ask))
        }
    }

    @Test("password sign-in: wrong and unknown look alike, a disabled account says so, the throttle refuses before checking", arguments: TestDatabases.kinds)
    func passwordSignIn(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let realm = UseCaseWorld.realm
            let userId = try await world.user("erin")
            let signIn = world.passwordSignIn
            #expect(try await signIn(realm: realm, username: "ERIN", password: "correct-horse-1", address: "10.0.0.1").user.id == userId)
            await #expect(throws: CredentialRefused.password) { try await signIn(realm: realm, username: "erin", password: "wrong", address: "10.0.0.1") }
            await #expect(throws: CredentialRefused.password) { try await signIn(realm: realm, username: "nobody", password: "wrong", address: "10.0.0.1") }

            _ = try await world.administration.updateUser(world.operatorCLI, realm: realm, userId: userId, UserProfile(enabled: false))
            await #expect(throws: CredentialRefused.accountDisabled) {
                try await signIn(realm: realm, username: "erin", password: "correct-horse-1", address: "10.0.0.2")
            }

            // Three failures (the world's limit) from one address for one account: the right password waits too.
            _ = try await world.user("fay")
            for _ in 0..<3 { _ = try? await signIn(realm: realm, username: "fay", password: "guess", address: "10.0.0.3") }
            do {
                _ = try await signIn(realm: realm, username: "fay", password: "correct-horse-1", address: "10.0.0.3")
                Issue.record("a throttled attempt went through")
            } catch CredentialRefused.throttled(let wait) {
                #expect(wait > 0)
            }
        }
    }

    @Test("a forced password change follows the chosen-password rule and succeeds once, however many submit it at once", arguments: TestDatabases.kinds)
    func forcedChange(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let realm = UseCaseWorld.realm
            _ = try await world.user("gus", password: "one-time-pass", temporary: true)
            let signIn = world.passwordSignIn
            let proof = try await signIn(realm: realm, username: "gus", password: "one-time-pass", address: "10.0.0.4")
            #expect(proof.user.mustChangePassword)
            let now = world.clock.now
            #expect(try await signIn.replaceRequiredPassword(proof, with: "short", now: now) == .refused(UserPassword.chosenTooShort))
            #expect(try await signIn.replaceRequiredPassword(proof, with: "", now: now) == .refused(UserPassword.chosenTooShort))
            #expect(try await signIn.replaceRequiredPassword(proof, with: "one-time-pass", now: now) == .refused(UserPassword.chosenSameAsBefore))

            let outcomes = try await withThrowingTaskGroup(of: PasswordSignIn.ForcedChange.self) { group in
                for index in 0..<8 { group.addTask { try await signIn.replaceRequiredPassword(proof, with: "chosen-password-\(index)", now: now) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter(\.isReplaced).count == 1)
            #expect(outcomes.filter { $0 == .expired }.count == 7)
            // The proof's digest no longer names the stored password: a sealed pending change is worth nothing now.
            #expect(try await signIn.pending(realm: realm, userId: proof.user.id, passwordDigest: proof.passwordDigest ?? "") == nil)
        }
    }

    @Test("an authorization code opens its session and is redeemed once; a second redemption ends the session", arguments: TestDatabases.kinds)
    func codeOnce(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let realm = try await world.administration.realms.administered(by: world.operatorCLI, name: UseCaseWorld.realm)
            let userId = try await world.user("hal")
            let proof = try await world.passwordSignIn(realm: realm.name, username: "hal", password: "correct-horse-1", address: "10.0.0.5")
            let user = proof.user
            #expect(user.id == userId)
            let issued = try await world.sessions.issueCode(
                user: user, realm: realm, address: "10.1.2.3", provenWith: proof.passwordDigest,
                .init(clientId: "admin-cli", redirectURI: "http://127.0.0.1/cb", codeChallenge: nil, codeChallengeMethod: nil, nonce: "n", scope: "email profile"))
            #expect(try await world.sessions.live.session(id: issued.session.id)?.ipAddress == "10.1.2.3")
            let request = RedeemCode.Request(
                realm: realm, clientId: "admin-cli", code: issued.code, redirectURI: "http://127.0.0.1/cb", verifier: nil, accessTokenId: "jti-1")
            let redeemed = try await world.sessions.redeemCode(request)
            #expect(redeemed.session.id == issued.session.id && redeemed.scope == "email profile" && redeemed.nonce == "n")
            await #expect(throws: SessionError.codeReused) { try await world.sessions.redeemCode(request) }
            #expect(try await world.sessions.live.session(id: issued.session.id) == nil, "the replay ended what the first redemption opened")
        }
    }

    @Test("a session opens only while the password a sign-in proved is the user's and the user is enabled", arguments: TestDatabases.kinds)
    func sessionNeedsTheProvenPassword(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let realm = try await world.administration.realms.administered(by: world.operatorCLI, name: UseCaseWorld.realm)
            let userId = try await world.user("ivy")
            let proof = try await world.passwordSignIn(realm: realm.name, username: "ivy", password: "correct-horse-1", address: "10.0.0.6")
            // An administrator resets the password while the sign-in is between its password check and its session.
            try await world.administration.resetPassword(
                world.operatorCLI, realm: realm.name, userId: userId, password: try UserPassword("another-horse-2"), temporary: false)
            await #expect(throws: SessionError.credentialsChanged) {
                try await world.sessions.open(
                    user: proof.user, clientId: "admin-cli", scope: "", realm: realm, address: nil, provenWith: proof.passwordDigest)
            }
            let again = try await world.passwordSignIn(realm: realm.name, username: "ivy", password: "another-horse-2", address: "10.0.0.6")
            _ = try await world.administration.updateUser(world.operatorCLI, realm: realm.name, userId: userId, UserProfile(enabled: false))
            await #expect(throws: SessionError.userDisabled) {
                try await world.sessions.open(
                    user: again.user, clientId: "admin-cli", scope: "", realm: realm, address: nil, provenWith: again.passwordDigest)
            }
        }
    }
}
