/// An optional that encodes as JSON `null` instead of disappearing (synthesised `Encodable` skips nil optionals), for
/// fields FastAPI clients expect to be present, like a card's `error` or a query's `suggestion_id`.
public struct Nullable<Wrapped: Encodable & Sendable>: Encodable, Sendable {
    public let value: Wrapped?

    public init(_ value: Wrapped?) { self.value = value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}
