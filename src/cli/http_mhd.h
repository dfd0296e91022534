/* libmicrohttpd, opened only when threadlens metrics --listen starts its server: linked, it
 * (with GnuTLS and its crypto libraries) was loaded and relocated at every start of every
 * command. The header gives the types; the calls go through this table. */
#ifndef THREADLENS_HTTP_MHD_H
#define THREADLENS_HTTP_MHD_H

#include <microhttpd.h>

#ifndef THREADLENS_MHD_SONAME
#define THREADLENS_MHD_SONAME "libmicrohttpd.so.12"
#endif

typedef struct http_mhd {
    struct MHD_Daemon *(*start_daemon)(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                       void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...);
    void (*stop_daemon)(struct MHD_Daemon *d);
    struct MHD_Response *(*create_response_from_buffer)(size_t size, void *buffer, enum MHD_ResponseMemoryMode mode);
    enum MHD_Result (*add_response_header)(struct MHD_Response *r, const char *header, const char *content);
    enum MHD_Result (*queue_response)(struct MHD_Connection *c, unsigned int status, struct MHD_Response *r);
    void (*destroy_response)(struct MHD_Response *r);
} http_mhd;

/* The library's calls, or NULL with why (dlerror's text, or the missing call) in why[len]. */
const http_mhd *http_mhd_load(char *why, size_t len);

#endif
