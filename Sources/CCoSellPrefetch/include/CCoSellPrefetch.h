#ifndef CCOSELL_PREFETCH_H
#define CCOSELL_PREFETCH_H

/// Asks the processor to bring the cache line at `address` in, without waiting for it and without
/// faulting: the hash lookups of account mapping touch it a few records later. Swift has no
/// prefetch of its own, and a load whose value is not used is removed by the optimizer.
static inline __attribute__((always_inline)) void cosell_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
