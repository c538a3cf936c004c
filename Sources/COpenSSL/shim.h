#ifndef MARELLE_COPENSSL_SHIM_H
#define MARELLE_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>

/* SSL_set_tlsext_host_name is a macro: Swift cannot call it directly. */
static inline long marelle_ssl_set_sni(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

/* So is SSL_CTX_set_min_proto_version. */
static inline long marelle_ssl_ctx_set_min_tls12(SSL_CTX *ctx) {
    return SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}
#endif
