#ifndef MARELLE_CCONFUSABLES_H
#define MARELLE_CCONFUSABLES_H
#include <stdint.h>

/// Writes the UTS #39 confusable skeleton of `text` (UTF-8, `length` bytes) into `out`
/// (`capacity` bytes, not terminated). Returns the skeleton's length in bytes (more than
/// `capacity` when `out` was too small: call again with that much), or -1 when ICU failed.
int32_t marelle_confusable_skeleton(const char *text, int32_t length, char *out, int32_t capacity);

#endif
