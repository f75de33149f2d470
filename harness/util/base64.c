/* base64.c — see base64.h. */
#include "util/base64.h"
#include "util/error.h"

static int sextet(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int base64_decode(const char *s, struct strbuf *out)
{
	unsigned acc = 0;
	int bits = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int v;

		if (*p == '=' || *p == '\n' || *p == '\r' || *p == ' ')
			continue;
		v = sextet(*p);
		if (v < 0)
			return ocb_fail("invalid base64 character 0x%02x", *p);
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_addch(out, (char)((acc >> bits) & 0xff));
		}
	}
	return 0;
}
