import Foundation

/// The proxies whose `X-Forwarded-For` says who the client is (`--trusted-proxy CIDR`, `NEXUSONE_TRUSTED_PROXIES`).
/// Throttling, `clientAddress` claims and last-use records then see each client instead of the proxy's one address;
/// from any other peer the header changes nothing.
public struct TrustedProxies: Sendable {
    /// One network, as bytes (4 for IPv4, 16 for IPv6) and a prefix length.
    struct Network: Sendable, Equatable {
        let address: [UInt8]
        let prefix: Int

        func contains(_ candidate: [UInt8]) -> Bool {
            guard candidate.count == address.count else { return false }
            var remaining = prefix
            for (mine, theirs) in zip(address, candidate) where remaining > 0 {
                let bits = min(remaining, 8)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if mine & mask != theirs & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    public struct InvalidNetwork: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "not an address or CIDR network: \(text)" }
    }

    let networks: [Network]

    public static let none = TrustedProxies(networks: [])

    init(networks: [Network]) { self.networks = networks }

    /// `10.0.0.0/8`, `2001:db8::/32`, or a single address.
    public init(parsing texts: [String]) throws {
        networks = try texts.map { text in
            let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1)
            guard let first = parts.first, let address = Self.bytes(String(first)) else { throw InvalidNetwork(text: text) }
            let prefix = parts.count == 2 ? Int(parts[1]) : address.count * 8
            guard let prefix, (0...address.count * 8).contains(prefix) else { throw InvalidNetwork(text: text) }
            return Network(address: address, prefix: prefix)
        }
    }

    public var isEmpty: Bool { networks.isEmpty }

    func trusts(_ address: [UInt8]) -> Bool { networks.contains { $0.contains(address) } }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then `X-Forwarded-For` read from the
    /// right, past every trusted proxy, to the first address that is not one (a client cannot forge what its proxy
    /// appended). An entry that is not an address ends the walk at the last address trusted so far.
    public func clientAddress(peer: String, forwardedFor headers: [String]) -> String {
        guard !networks.isEmpty, let peerBytes = Self.bytes(peer), trusts(peerBytes) else { return peer }
        var client = peer
        let entries = headers.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for entry in entries.reversed() {
            guard let bytes = Self.bytes(entry) else { break }
            client = entry
            if !trusts(bytes) { break }
        }
        return client
    }

    /// An address's bytes; an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) as its IPv4 bytes.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes.suffix(4)) }
        return bytes
    }
}
