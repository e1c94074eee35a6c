import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// SQLite files hold hashes, sealed secrets and warehouse data: readable by their owner only. SQLite gives a new WAL
/// and shared-memory file the database file's own permissions, so a database created (or corrected) 0600 keeps them
/// all 0600; files an earlier version left wider are narrowed when opened.
public enum OwnerOnlyFiles {
    /// Creates `path` empty and 0600 when missing; otherwise narrows it and its `-wal`, `-shm` and `-journal` files to
    /// 0600 (only files of this process's user: another user's file is left as it is and fails to open as it would).
    public static func prepareDatabase(_ path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if descriptor >= 0 {
            close(descriptor)
            return
        }
        for file in [path, path + "-wal", path + "-shm", path + "-journal"] { narrow(file, to: 0o600) }
    }

    /// Narrows an existing directory of ours to 0700.
    public static func prepareDirectory(_ path: String) { narrow(path, to: 0o700) }

    private static func narrow(_ path: String, to mode: mode_t) {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_uid == geteuid(), (status.st_mode & 0o777) != mode,
            (status.st_mode & S_IFMT) != S_IFLNK
        else { return }
        chmod(path, mode)
    }
}
