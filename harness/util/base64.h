/* base64.h — RFC 4648 decoding for the guest agent's out-data/err-data and
 * guest-file-read buf-b64.  Hand-written: jansson has no base64 and pulling
 * in glib or OpenSSL for twenty lines would be the larger risk. */
#ifndef OCB_BASE64_H
#define OCB_BASE64_H

#include "util/strbuf.h"

/* Append the decoded bytes of s to out; -1 on a character outside the
 * alphabet (whitespace and '=' padding are accepted). */
int base64_decode(const char *s, struct strbuf *out);

#endif
