/* libvirt-host.h — the fingerprint of a libvirt host, local or remote, as
 * its daemon reports it: what a vendor qualifies with when the guests run
 * on another machine.  run.json "hosts" holds one per remote host the
 * guests ran on, beside "host" (the machine running ocbench); conform's
 * JSON likewise.
 *
 *   {"uri":U, "hostname":H, "hypervisor":"QEMU", "hypervisor_version":
 *    "7.2.0", "libvirt":"9.0.0",
 *    "node":{"model":"x86_64","memory_kib":N,"cpus":N,"mhz":N,
 *            "numa_nodes":N,"sockets":N,"cores":N,"threads":N},
 *    "cpu":{"arch":"x86_64","model":"Skylake-Client-IBRS","vendor":"Intel"},
 *    "numa_cells":N, "page_sizes_kib":[4,2048,1048576],
 *    "ksm":{"pages_to_scan":..,"sleep_millisecs":..,"merge_across_nodes":..}}
 *
 * From virConnectGetHostname, virConnectGetType/GetVersion/GetLibVersion,
 * virNodeGetInfo, the capabilities XML (parsed with libxml2) and the node
 * memory parameters.  What the driver does not answer is left out with a
 * FIELD_error string saying why; never NULL. */
#ifndef OCB_LIBVIRT_HOST_H
#define OCB_LIBVIRT_HOST_H

#include <jansson.h>
#include <libvirt/libvirt.h>

json_t *lvhost_fingerprint(virConnectPtr conn, const char *uri);
/* The "cpu", "numa_cells" and "page_sizes_kib" fields from a
 * capabilities document into fp; -1 when it does not parse. */
int lvhost_caps_fields(const char *caps_xml, json_t *fp);

#endif
