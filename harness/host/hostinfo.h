/* hostinfo.h — the host fingerprint: what a hardware vendor qualifies
 * with, printed by `ocbench host` and embedded as "host" in every
 * run.json.  Collecting it only reads; it works without root. */
#ifndef OCB_HOSTINFO_H
#define OCB_HOSTINFO_H

#include <jansson.h>

/* The "schema" of the fingerprint (ocbench host --json, run.json's "host"). */
#define HOSTINFO_SCHEMA "ocbench.host/1"

/* {"cpu":{...},"kernel":"6.1.0","memory_kib":N,"numa":[...],"qemu":"...",
 *  "libvirt":"9.0.0","kvm":{"usable":false,"reason":"...","ept":null,...},
 *  "ksm":{...}|null,"uksm":{...}|null,"thp":{...}|null,"hugetlb":[...],
 *  "swap":{...},"root":bool}.  Never NULL; what cannot be found is null or
 * carries an "..._error" string.  The complete fingerprint adds the knobs
 * this process cannot write: knob_host_fingerprint() (knobs/knobs.h), as
 * the knob table lives a layer above. */
json_t *hostinfo_collect(const char *root);

#endif
