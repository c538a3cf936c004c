// ICU's spoof checker (Debian's libicu) behind one plain C function: ICU renames its entry
// points with the library's version (uspoof_getSkeletonUTF8_72), which Swift cannot call
// by the documented name, so the call lives here.
#include "CConfusables.h"
#include <unicode/uspoof.h>

int32_t marelle_confusable_skeleton(const char *text, int32_t length, char *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker *checker = uspoof_open(&status);
    if (U_FAILURE(status)) return -1;
    int32_t needed = uspoof_getSkeletonUTF8(checker, 0, text, length, out, capacity, &status);
    uspoof_close(checker);
    if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) return needed;
    if (U_FAILURE(status)) return -1;
    return needed;
}
