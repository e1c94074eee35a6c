import DatabaseFixtures
import Domain
import Identity
import Storage
import Testing
import UseCases

/// Brute-force detection as Keycloak configures it, over storage: counted failures, growing lockouts, the count's
/// reset, the quick-login check and permanent lockout — on both databases.
@Suite("Sign-in protection")
struct SignInProtectionTests {
    @Test("a lockout grows with each failure factor up to its cap; the quick-login check and permanent lockout")
    func lockoutArithmetic() {
        var policy = BruteForcePolicy()
        (policy.enabled, policy.failureFactor, policy.waitIncrementSeconds, policy.maxFailureWaitSeconds) = (true, 3, 60, 900)
        policy.quickLoginCheckMilliSeconds = 0
        #expect(policy.lockout(failures: 2, previous: 100, now: 1_000) == .none)
        #expect(policy.lockout(failures: 3, previous: 100, now: 1_000) == .until(1_060))
        #expect(policy.lockout(failures: 6, previous: 100, now: 1_000) == .until(1_120))
        #expect(policy.lockout(failures: 300, previous: 100, now: 1_000) == .until(1_900), "capped at maxFailureWaitSeconds")
        #expect(policy.lockout(failures: .max, previous: 100, now: .max - 5) == .until(.max), "saturates rather than traps")
        policy.quickLoginCheckMilliSeconds = 1_000
        policy.minimumQuickLoginWaitSeconds = 30
        #expect(policy.lockout(failures: 2, previous: 1_000, now: 1_000) == .until(1_030), "two failures within the same second")
        #expect(policy.lockout(failures: 2, previous: 999, now: 1_000) == .none)
        #expect(policy.lockout(failures: 1, previous: nil, now: 1_000) == .none)
        policy.permanentLockout = true
        #expect(policy.lockout(failures: 3, previous: 100, now: 1_000) == .permanent)
    }

    @Test("failures are counted per user in storage, lock as configured and clear with the right password", arguments: TestDatabases.kinds)
    func counted(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let (admin, actor, realm) = (world.administration, world.operatorCLI, UseCaseWorld.realm)
            let userId = try await world.user("bo", password: "bo-password-1")
            var settings = try RealmSettings()
            settings.bruteForce = try BruteForceChange(
                bruteForceProtected: true, permanentLockout: nil, failureFactor: 3, waitIncrementSeconds: 60, maxFailureWaitSeconds: 900,
                maxDeltaTimeSeconds: 100, minimumQuickLoginWaitSeconds: nil, quickLoginCheckMilliSeconds: 0)
            try await admin.updateRealm(actor, realm: realm, settings: settings)
            var address = 0
            func attempt(_ password: String) async -> Bool {
                address += 1  // a new address each time, so the per-address throttle stays out of the way
                return (try? await world.passwordSignIn(realm: realm, username: "bo", password: password, address: "10.0.0.\(address)")) != nil
            }
            func status() async throws -> SignInFailures.Status { try await admin.signInFailures.status(actor, realm: realm, userId: userId) }

            for _ in 0..<2 { #expect(await !attempt("wrong")) }
            let two = try await status()
            #expect(two.numFailures == 2 && !two.disabled)
            #expect(await !attempt("wrong"))
            let locked = try await status()
            #expect(locked.disabled && locked.lastIPFailure == "10.0.0.3")
            #expect(await !attempt("bo-password-1"), "locked: the right password is refused too")
            #expect(try await status().numFailures == 3, "attempts while locked are not counted")
            world.clock.advance(61)
            #expect(await attempt("bo-password-1"))
            let cleared = try await status()
            #expect(cleared.numFailures == 0 && !cleared.disabled && cleared.lastIPFailure == nil && cleared.lastFailure == nil)

            // Failures more than maxDeltaTimeSeconds apart start the count again.
            #expect(await !attempt("wrong"))
            world.clock.advance(101)
            #expect(await !attempt("wrong"))
            #expect(try await status().numFailures == 1)

            // Every failure from the failure factor on locks again; from twice the factor, twice as long.
            for _ in 0..<2 { #expect(await !attempt("wrong")) }
            for _ in 0..<3 {
                world.clock.advance(61)
                #expect(await !attempt("wrong"))
            }
            #expect(try await status().numFailures == 6)
            world.clock.advance(61)
            #expect(await !attempt("bo-password-1"), "six failures lock for 120 s")
            world.clock.advance(60)
            #expect(await attempt("bo-password-1"))

            // Switched off, nothing is counted and a recorded lock no longer holds.
            for _ in 0..<3 { #expect(await !attempt("wrong")) }
            var off = try RealmSettings()
            off.bruteForce.enabled = false
            try await admin.updateRealm(actor, realm: realm, settings: off)
            #expect(await attempt("bo-password-1"))
        }
    }

    @Test("permanent lockout disables the user; enabling them again lets them in", arguments: TestDatabases.kinds)
    func permanent(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let (admin, actor, realm) = (world.administration, world.operatorCLI, UseCaseWorld.realm)
            let userId = try await world.user("pat", password: "pat-password-1")
            var settings = try RealmSettings()
            settings.bruteForce = try BruteForceChange(
                bruteForceProtected: true, permanentLockout: true, failureFactor: 2, waitIncrementSeconds: nil, maxFailureWaitSeconds: nil,
                maxDeltaTimeSeconds: nil, minimumQuickLoginWaitSeconds: nil, quickLoginCheckMilliSeconds: 0)
            try await admin.updateRealm(actor, realm: realm, settings: settings)
            for address in ["10.0.1.1", "10.0.1.2"] {
                await #expect(throws: CredentialRefused.password) {
                    try await world.passwordSignIn(realm: realm, username: "pat", password: "wrong", address: address)
                }
            }
            #expect(try await admin.users.find(actor, realm: realm, id: userId).enabled == false)
            await #expect(throws: CredentialRefused.password, "the right password is refused like a wrong one, and tells nothing") {
                try await world.passwordSignIn(realm: realm, username: "pat", password: "pat-password-1", address: "10.0.1.3")
            }
            _ = try await admin.updateUser(actor, realm: realm, userId: userId, UserProfile(enabled: true))  // ends the lockout too
            _ = try await world.passwordSignIn(realm: realm, username: "pat", password: "pat-password-1", address: "10.0.1.4")
        }
    }

    @Test("events are kept only while enabled and only of the enabled types; types are Keycloak's words")
    func eventsConfig() {
        var config = EventsConfig()
        #expect(!config.records(.login))
        config.eventsEnabled = true
        #expect(config.records(.login) && config.records(.logout))
        config.enabledEventTypes = ["LOGIN_ERROR"]
        #expect(config.records(.loginError) && !config.records(.login))
        #expect(EventsConfig.isEventType("CODE_TO_TOKEN_ERROR"))
        for bad in ["", "login", "LOGIN ERROR", "LOGIN;", String(repeating: "A", count: 65)] { #expect(!EventsConfig.isEventType(bad)) }
        #expect(throws: ValueError.self) {
            try EventsChange(
                eventsEnabled: nil, eventsExpiration: .some(0), eventsListeners: nil, enabledEventTypes: nil, adminEventsEnabled: nil,
                adminEventsDetailsEnabled: nil)
        }
    }
}
