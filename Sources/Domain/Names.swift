/// Validation rules for names that appear in URLs and in tokens.
public enum Names {
    /// Realm names are URL path segments: letters, digits, `-` and `_`, 1–64 characters.
    public static func isValidRealm(_ name: String) -> Bool {
        isSafeIdentifier(name, maxLength: 64)
    }

    /// Client ids, usernames and role names: printable, no whitespace or control characters, 1–255 characters.
    public static func isValidIdentifier(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255 else { return false }
        // Invisible format characters (zero-width, direction marks) would let `nx1\u{200B}_admin` pass for `nx1_admin`.
        return name.unicodeScalars.allSatisfy {
            !$0.properties.isWhitespace && $0.value >= 0x20 && $0.value != 0x7F && $0.properties.generalCategory != .format
        }
    }

    /// Names shown as written (authorization resources, scopes and policies: `Default Resource`): 1–255 bytes, spaces
    /// inside allowed, no control or invisible characters, not only spaces.
    public static func isValidLabel(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.allSatisfy(\.isWhitespace) && name.unicodeScalars.allSatisfy(GroupName.isShown)
    }

    private static func isSafeIdentifier(_ name: String, maxLength: Int) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maxLength else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
