/* banned.h — functions that have no place in ocbench (after git's banned.h).
 *
 * Included last by every harness and workload source (via the compiler's
 * -include flag in the Makefile), so a use of any of these is a compile
 * error with a message that says what to use instead.
 */
#ifndef OCB_BANNED_H
#define OCB_BANNED_H

/* The C library's own declarations come first: with _FORTIFY_SOURCE
 * (Debian's hardened package build) its headers define inline wrappers
 * named like the functions below, which the macros must not rewrite.
 * Their include guards keep later includes from reading them again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(func) sorry_##func##_is_banned_in_ocbench

#undef strcpy
#define strcpy(x, y) BANNED(strcpy_use_snprintf_or_strbuf)
#undef strcat
#define strcat(x, y) BANNED(strcat_use_strbuf)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy_use_snprintf)
#undef sprintf
#define sprintf(...) BANNED(sprintf_use_snprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf_use_vsnprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef system
#define system(x) BANNED(system_spawn_an_argv_with_runcmd)
#undef popen
#define popen(x, y) BANNED(popen_spawn_an_argv_with_runcmd)

#endif
