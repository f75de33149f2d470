/* cpu.c — see cpu.h. */
#include "host/cpu.h"
#include "util/fsutil.h"
#include "host/sysfs.h"

#include <libcpuid.h>
#include <stdlib.h>
#include <string.h>

static const char *const virt_flags[] = { "vmx", "svm", "ept", "vpid", "npt", "pdpe1gb", NULL };

/* The value of the first "key<TAB>: value" line of cpuinfo text. */
static int cpuinfo_field(const char *text, const char *key, struct strbuf *out)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *colon, *eol;

		if (strncmp(p, key, kl) || (p[kl] != '\t' && p[kl] != ' ' && p[kl] != ':'))
			continue;
		colon = strchr(p, ':');
		eol = strchr(p, '\n');
		if (!colon || (eol && colon > eol))
			continue;
		colon++;
		while (*colon == ' ')
			colon++;
		strbuf_reset(out);
		strbuf_add(out, colon, eol ? (size_t)(eol - colon) : strlen(colon));
		return 1;
	}
	return 0;
}

static int has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += wl)
		if ((p == list || p[-1] == ' ') && (p[wl] == ' ' || p[wl] == '\0'))
			return 1;
	return 0;
}

static int read_cpuinfo(const char *root, struct strbuf *text)
{
	struct strbuf p = STRBUF_INIT;
	int rc;

	sysfs_path(root, "/proc/cpuinfo", &p);
	rc = read_file(p.buf, text);
	strbuf_release(&p);
	return rc;
}

int cpu_flag(const char *root, const char *flag)
{
	struct strbuf text = STRBUF_INIT, flags = STRBUF_INIT;
	int rc = -1;

	if (read_cpuinfo(root, &text) == 0)
		rc = cpuinfo_field(text.buf, "flags", &flags) && has_word(flags.buf, flag);
	strbuf_release(&text);
	strbuf_release(&flags);
	return rc;
}

static long count_processors(const char *text)
{
	long n = 0;

	for (const char *p = text; (p = strstr(p, "processor")) != NULL; p += 9)
		if (p == text || p[-1] == '\n')
			n++;
	return n;
}

static void from_cpuinfo(json_t *o, const char *text)
{
	struct strbuf v = STRBUF_INIT;
	static const struct { const char *key, *name; int num; } f[] = {
		{ "vendor_id", "vendor", 0 }, { "model name", "model_name", 0 },
		{ "cpu family", "family", 1 }, { "model", "model", 1 },
		{ "stepping", "stepping", 1 }, { "cpu cores", "cores", 1 },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!cpuinfo_field(text, f[i].key, &v))
			continue;
		json_object_set_new(o, f[i].name, f[i].num ? json_integer(strtol(v.buf, NULL, 10))
							   : json_string(v.buf));
	}
	json_object_set_new(o, "threads", json_integer(count_processors(text)));
	strbuf_release(&v);
}

static void add_cache(json_t *caches, const char *name, int32_t kib, int32_t assoc, int32_t line)
{
	json_t *c;

	if (kib <= 0)
		return;
	c = json_object();
	json_object_set_new(c, "size_kib", json_integer(kib));
	if (assoc > 0)
		json_object_set_new(c, "ways", json_integer(assoc));
	if (line > 0)
		json_object_set_new(c, "line", json_integer(line));
	json_object_set_new(caches, name, c);
}

static void disagree(json_t *notes, const char *what, const char *a, const char *b)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s: libcpuid says %s, /proc/cpuinfo says %s", what, a, b);
	json_array_append_new(notes, json_string(msg));
}

/* libcpuid's view, overriding cpuinfo's where it knows better, and noting
 * every disagreement. */
static void from_libcpuid(json_t *o, json_t *flags, json_t *notes)
{
	struct cpu_raw_data_t raw;
	struct cpu_id_t id;
	json_t *caches, *old;
	const char *ci_vendor;

	if (!cpuid_present() || cpuid_get_raw_data(&raw) < 0 || cpu_identify(&raw, &id) < 0) {
		json_object_set_new(o, "libcpuid_error", json_string(cpuid_error()));
		return;
	}
	old = json_object_get(o, "vendor");
	ci_vendor = old ? json_string_value(old) : NULL;
	if (ci_vendor && strcmp(ci_vendor, id.vendor_str))
		disagree(notes, "vendor", id.vendor_str, ci_vendor);
	json_object_set_new(o, "vendor", json_string(id.vendor_str));
	json_object_set_new(o, "model_name", json_string(id.brand_str));
	json_object_set_new(o, "codename", json_string(id.cpu_codename));
	json_object_set_new(o, "family", json_integer(id.ext_family));
	json_object_set_new(o, "model", json_integer(id.ext_model));
	json_object_set_new(o, "stepping", json_integer(id.stepping));
	json_object_set_new(o, "cores_per_package", json_integer(id.num_cores));
	json_object_set_new(o, "threads_per_package", json_integer(id.num_logical_cpus));
	caches = json_object();
	add_cache(caches, "l1d", id.l1_data_cache, id.l1_data_assoc, id.l1_data_cacheline);
	add_cache(caches, "l1i", id.l1_instruction_cache, id.l1_instruction_assoc,
		  id.l1_instruction_cacheline);
	add_cache(caches, "l2", id.l2_cache, id.l2_assoc, id.l2_cacheline);
	add_cache(caches, "l3", id.l3_cache, id.l3_assoc, id.l3_cacheline);
	json_object_set_new(o, "caches", caches);
	for (int v = 0; v < 2; v++) {
		const char *name = v ? "svm" : "vmx";
		int cpuid_has = id.flags[v ? CPU_FEATURE_SVM : CPU_FEATURE_VMX] != 0;
		int kernel_has = json_is_true(json_object_get(flags, name));

		json_object_set_new(o, v ? "cpuid_svm" : "cpuid_vmx", json_boolean(cpuid_has));
		if (cpuid_has != kernel_has)
			disagree(notes, name, cpuid_has ? "present" : "absent",
				 kernel_has ? "present" : "absent");
	}
}

json_t *cpu_info(const char *root)
{
	struct strbuf text = STRBUF_INIT, fl = STRBUF_INIT;
	json_t *o = json_object(), *flags = json_object(), *notes = json_array();
	int have = read_cpuinfo(root, &text) == 0;

	if (have) {
		from_cpuinfo(o, text.buf);
		cpuinfo_field(text.buf, "flags", &fl);
	} else {
		json_object_set_new(o, "cpuinfo_error", json_string("cannot read /proc/cpuinfo"));
	}
	for (size_t i = 0; virt_flags[i]; i++)
		json_object_set_new(flags, virt_flags[i], json_boolean(has_word(fl.buf ? fl.buf : "",
									 virt_flags[i])));
	if (!root || !strcmp(root, "/"))
		from_libcpuid(o, flags, notes);
	json_object_set_new(o, "flags", flags);
	json_object_set_new(o, "cross_check", notes);
	strbuf_release(&text);
	strbuf_release(&fl);
	return o;
}
