#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lock file next to a SQLite system database. `serve` holds it shared for as long as it runs (the kernel lets go
/// when the process ends, however it ends); `restore` takes it exclusively, so it refuses while any server is running
/// on the file instead of changing the data under a server's caches.
public final class DatabaseFileLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Held by a running server.
    public static func shared(database path: String) throws -> DatabaseFileLock {
        guard let lock = try take(path, operation: LOCK_SH) else { throw BackupError.restoring(path) }
        return lock
    }

    /// Held while restoring; nil while a server holds the shared lock.
    static func exclusive(database path: String) throws -> DatabaseFileLock? {
        try take(path, operation: LOCK_EX)
    }

    private static func take(_ database: String, operation: Int32) throws -> DatabaseFileLock? {
        let lockPath = database + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw BackupError.cannotWrite(lockPath, String(cString: strerror(errno))) }
        guard flock(descriptor, operation | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return DatabaseFileLock(descriptor: descriptor)
    }
}
