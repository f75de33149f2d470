/* hostinfo.c — see hostinfo.h. */
#include "host/hostinfo.h"
#include "host/cpu.h"
#include "util/error.h"
#include "host/hugetlb.h"
#include "host/ksm.h"
#include "host/kvmparam.h"
#include "util/meminfo.h"
#include "util/runcmd.h"
#include "host/swap.h"
#include "host/sysfs.h"
#include "host/thp.h"
#include "host/uksm.h"

#include <dirent.h>
#include <libvirt/libvirt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *numa_nodes(const char *root)
{
	struct strbuf p = STRBUF_INIT, rel = STRBUF_INIT, cpus = STRBUF_INIT;
	json_t *arr = json_array();
	struct dirent *d;
	DIR *dir;

	sysfs_path(root, NODE_DIR, &p);
	dir = opendir(p.buf);
	while (dir && (d = readdir(dir))) {
		long long total, fre;
		json_t *o;

		if (strncmp(d->d_name, "node", 4) || d->d_name[4] < '0' || d->d_name[4] > '9')
			continue;
		o = json_object();
		json_object_set_new(o, "node", json_integer(strtol(d->d_name + 4, NULL, 10)));
		strbuf_reset(&rel);
		strbuf_addf(&rel, NODE_DIR "/%s/meminfo", d->d_name);
		sysfs_path(root, rel.buf, &p);
		if (meminfo_file_field(p.buf, "MemTotal", &total) == 0)
			json_object_set_new(o, "mem_total_kib", json_integer((json_int_t)total));
		if (meminfo_file_field(p.buf, "MemFree", &fre) == 0)
			json_object_set_new(o, "mem_free_kib", json_integer((json_int_t)fre));
		strbuf_reset(&rel);
		strbuf_addf(&rel, NODE_DIR "/%s/cpulist", d->d_name);
		strbuf_reset(&cpus);
		if (sysfs_read(root, rel.buf, &cpus) == 0)
			json_object_set_new(o, "cpus", json_string(cpus.buf));
		json_array_append_new(arr, o);
	}
	if (dir)
		closedir(dir);
	strbuf_release(&p);
	strbuf_release(&rel);
	strbuf_release(&cpus);
	return arr;
}

/* The first line of `PROG --version`, or null with the reason beside it. */
static void program_version(json_t *o, const char *key, const char *prog)
{
	const char *argv[] = { prog, "--version", NULL };
	struct strbuf out = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT;
	char *nl;

	strbuf_addf(&err, "%s_error", key);
	if (find_program(prog, &path) < 0) {
		json_object_set_new(o, key, json_null());
		json_object_set_new(o, err.buf, json_sprintf("%s not found in PATH", prog));
	} else if (run_capture(argv, &out, 20ull * 1000000000ull) != 0) {
		json_object_set_new(o, key, json_null());
		json_object_set_new(o, err.buf, json_string(ocb_errmsg()));
	} else {
		nl = strchr(out.buf, '\n');
		if (nl)
			*nl = '\0';
		json_object_set_new(o, key, json_string(out.buf));
		json_object_set_new(o, "qemu_path", json_string(path.buf));
	}
	strbuf_release(&out);
	strbuf_release(&path);
	strbuf_release(&err);
}

static json_t *libvirt_version(void)
{
	unsigned long v = 0;

	if (virGetVersion(&v, NULL, NULL) < 0)
		return json_null();
	return json_sprintf("%lu.%lu.%lu", v / 1000000, v / 1000 % 1000, v % 1000);
}

static void set_or_null(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
}

json_t *hostinfo_collect(const char *root)
{
	struct strbuf v = STRBUF_INIT, p = STRBUF_INIT;
	long long kib;
	json_t *o = json_object();

	json_object_set_new(o, "schema", json_string(HOSTINFO_SCHEMA));
	sysfs_path(root, "/proc/sys/kernel/hostname", &p);
	if (sysfs_read(root, "/proc/sys/kernel/hostname", &v) == 0)
		json_object_set_new(o, "hostname", json_string(v.buf));
	strbuf_reset(&v);
	if (sysfs_read(root, "/proc/sys/kernel/osrelease", &v) == 0)
		json_object_set_new(o, "kernel", json_string(v.buf));
	else
		json_object_set_new(o, "kernel", json_null());
	json_object_set_new(o, "cpu", cpu_info(root));
	sysfs_path(root, "/proc/meminfo", &p);
	if (meminfo_file_field(p.buf, "MemTotal", &kib) == 0)
		json_object_set_new(o, "memory_kib", json_integer((json_int_t)kib));
	json_object_set_new(o, "numa", numa_nodes(root));
	program_version(o, "qemu", "qemu-system-x86_64");
	/* "7.2.22" out of "QEMU emulator version 7.2.22 (Debian ...)": the
	 * field compare matches; a run overwrites it with the version its
	 * own QEMU announced over QMP (it may be another --qemu binary). */
	{
		const char *q = json_string_value(json_object_get(o, "qemu"));
		const char *ver = q ? strstr(q, "version ") : NULL;

		if (ver)
			json_object_set_new(o, "qemu_version",
					    json_stringn(ver + 8, strcspn(ver + 8, " ")));
	}
	json_object_set_new(o, "libvirt", libvirt_version());
	json_object_set_new(o, "kvm", kvmparam_info(root));
	set_or_null(o, "ksm", ksm_settings(root));
	set_or_null(o, "uksm", uksm_settings(root));
	set_or_null(o, "thp", thp_settings(root));
	json_object_set_new(o, "hugetlb", hugetlb_pools(root));
	json_object_set_new(o, "swap", swap_info(root));
	json_object_set_new(o, "is_root", json_boolean(geteuid() == 0));
	strbuf_release(&v);
	strbuf_release(&p);
	return o;
}
