import Domain
import Storage

/// The local half of a deployment into an external Keycloak (`deploy --keycloak-url`): the federated realm exists
/// here, the client's service account is known here under its Keycloak id (so its tokens and its PSK are one
/// principal) with the default NexusOne roles, and it gets the deployment PSK — once, when it is first recorded.
public struct RecordExternalDeployment: Sendable {
    let changes: ChangeLog
    let provisioner: RealmProvisioner
    let clock: EpochClock

    public init(changes: ChangeLog, provisioner: RealmProvisioner, clock: EpochClock) {
        self.changes = changes
        self.provisioner = provisioner
        self.clock = clock
    }

    /// Returns the deployment PSK when this run issued it.
    public func callAsFunction(_ actor: Principal, realm: String, clientId: String, serviceAccountId: String) async throws -> String? {
        guard actor.credential == .operatorCLI else { throw AdministrationError.forbidden }
        let accountId = try Identifier(serviceAccountId, field: "service_account_id")
        let (provisioner, now) = (provisioner, clock.now)
        let accounts = UserProvisioner(clock: clock)
        return try await changes.commit { sql in
            if try await RealmStore(sql).find(realm) == nil { _ = try await provisioner.create(realm, on: sql) }
            try await provisioner.addNexusOneRoles(realm: realm, on: sql)
            guard try await UserStore(sql).find(realm: realm, id: accountId.value) == nil else { return nil }
            try await UserStore(sql).insert(
                User(id: accountId.value, realm: realm, username: "service-account-\(clientId.lowercased())", createdAt: now), passwordHash: nil)
            try await accounts.grant(NexusOneRoles.defaults + [NexusOneRoles.defaultComposite(realm: realm)], to: accountId.value, realm: realm, on: sql)
            let (key, psk) = try await KeyIssuer.issue(
                kind: .service, realm: realm, userId: accountId.value, description: "Deployment PSK", expiresAt: nil, now: now, on: sql)
            try await KeyAudit.record(
                .create, key: key, realm: realm, actor: actor, address: "deploy", detail: "deployment PSK (external Keycloak)", now: now, on: sql)
            return psk
        }
    }
}
