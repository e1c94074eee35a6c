import Foundation

/// Identifiers in the formats Keycloak clients expect.
public enum Identifiers {
    /// A lower-case UUID, as Keycloak prints ids.
    public static func uuid() -> String { UUID().uuidString.lowercased() }
}
