import Domain
import Storage

/// The use cases of keys, made once by the composition root for the front ends that show and change them (the API's
/// key routes, the portal's settings, administration and data-product pages).
public struct KeyUseCases: Sendable {
    public let keys: Keys
    public let createPersonal: CreatePersonalKey
    public let regeneratePersonal: RegeneratePersonalKey
    public let deletePersonal: DeletePersonalKey
    public let revoke: RevokeKey
    public let createForProduct: CreateDataProductKey
    public let extendForProduct: ExtendDataProductKey
    public let deleteForProduct: DeleteDataProductKey

    public init(changes: ChangeLog, clock: EpochClock) {
        keys = Keys(database: changes.database)
        createPersonal = CreatePersonalKey(changes: changes, clock: clock)
        regeneratePersonal = RegeneratePersonalKey(changes: changes, clock: clock)
        deletePersonal = DeletePersonalKey(changes: changes, clock: clock)
        revoke = RevokeKey(changes: changes, clock: clock)
        createForProduct = CreateDataProductKey(changes: changes, clock: clock)
        extendForProduct = ExtendDataProductKey(changes: changes, clock: clock)
        deleteForProduct = DeleteDataProductKey(changes: changes, clock: clock)
    }
}
