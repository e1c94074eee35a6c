import Domain
import Storage

/// The use cases of login sessions, made once by the composition root for the realm's protocol endpoints: open one,
/// end one with a code, redeem that code, refresh, look one up, end it, revoke a token of it; and a user's own list.
public struct SessionUseCases: Sendable {
    public let open: OpenSession
    public let issueCode: IssueAuthorizationCode
    public let redeemCode: RedeemCode
    public let refresh: RefreshSession
    public let live: LiveSessions
    public let end: EndSession
    public let revokeAccessToken: RevokeAccessToken
    public let own: OwnSessions

    public init(changes: ChangeLog, revocations: RevocationList, clock: EpochClock) {
        let database = changes.database
        open = OpenSession(database: database, clock: clock)
        issueCode = IssueAuthorizationCode(openSession: open, clock: clock)
        redeemCode = RedeemCode(changes: changes, revocations: revocations, clock: clock)
        refresh = RefreshSession(database: database, clock: clock)
        live = LiveSessions(database: database, clock: clock)
        end = EndSession(database: database)
        revokeAccessToken = RevokeAccessToken(changes: changes, revocations: revocations)
        own = OwnSessions(changes: changes, clock: clock)
    }
}
