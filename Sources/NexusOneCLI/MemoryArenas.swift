#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// glibc gives threads that allocate at once arenas of their own (up to eight per core). Under a mixed load on
/// PostgreSQL the memory freed in them stayed resident and kept growing (Benchmarks/README.md, soak.sh); two arenas
/// kept the server's resident size flat. `MALLOC_ARENA_MAX` in the environment still wins.
enum MemoryArenas {
    static func limit() {
        #if canImport(Glibc)
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil,
            let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt")  // RTLD_DEFAULT; <malloc.h> is not in Glibc's module
        else { return }
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        let arenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
        _ = unsafeBitCast(symbol, to: MallOpt.self)(arenaMax, 2)
        #endif
    }
}
