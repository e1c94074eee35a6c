import Foundation
import Storage

/// The data directory holds the SQLite files and the encryption key, so only its owner may read it: created 0700, and
/// narrowed to 0700 when an earlier version (or a hand) left it wider.
public enum DataDirectory {
    public static func ensure(_ path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        OwnerOnlyFiles.prepareDirectory(path)
    }
}
