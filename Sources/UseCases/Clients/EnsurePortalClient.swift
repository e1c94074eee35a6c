import Domain
import Storage

/// The portal's OpenID Connect client in each customer realm: public, authorization code with PKCE only, redirecting
/// to `<public URL>/portal/<realm>/callback`.
public enum PortalClient {
    public static let clientId = "nexusone-portal"

    public static func redirectURI(publicURL: String, realm: String) -> String { "\(publicURL)/portal/\(realm)/callback" }
}

/// Creates the portal client of a realm, or points its redirect URI at the current public URL. Every sign-in passes
/// here, so it writes (and empties caches) only when something changes; two first sign-ins at once create it once.
public struct EnsurePortalClient: Sendable {
    let changes: ChangeLog
    let clock: EpochClock

    public init(changes: ChangeLog, clock: EpochClock) {
        self.changes = changes
        self.clock = clock
    }

    public func callAsFunction(realm: String, publicURL: String) async throws {
        let redirect = PortalClient.redirectURI(publicURL: publicURL, realm: realm)
        let current = try await changes.read { sql in try await ClientStore(sql).find(realm: realm, clientId: PortalClient.clientId)?.client }
        if current?.redirectURIs == [redirect] { return }
        let now = clock.now
        do {
            try await changes.commit { sql in
                let store = ClientStore(sql)
                if let current, var client = try await store.lock(realm: realm, id: current.id)?.client {
                    client.redirectURIs = [redirect]
                    try await store.update(client)
                } else {
                    try await store.insert(
                        Client(
                            id: Identifiers.uuid(), realm: realm, clientId: PortalClient.clientId, name: "NexusOne portal", isPublic: true,
                            standardFlowEnabled: true, directAccessGrantsEnabled: false, redirectURIs: [redirect], createdAt: now),
                        sealedSecret: nil)
                }
            }
        } catch StorageError.duplicate {
            // Another sign-in created it a moment ago, with the same redirect URI.
        }
    }
}
