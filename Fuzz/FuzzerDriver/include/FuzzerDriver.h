// libFuzzer's driver (LLVM 11+), called from Swift's `main` because SwiftPM names the executable's entry point itself.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
