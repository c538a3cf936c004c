// libcurl (Debian's libcurl4-openssl-dev): the payment providers' HTTP calls (TLS, timeouts,
// the system's CA store). curl_easy_setopt and curl_easy_getinfo are variadic, which Swift
// cannot call: these typed wrappers are what Swift sees.
#include <curl/curl.h>

static inline CURLcode marelle_curl_set_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode marelle_curl_set_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode marelle_curl_set_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
typedef size_t (*marelle_curl_write_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode marelle_curl_set_write(CURL *curl, marelle_curl_write_callback callback) {
    return curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, callback);
}
static inline CURLcode marelle_curl_response_code(CURL *curl, long *code) {
    return curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, code);
}
