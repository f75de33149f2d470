/* host.c — `ocbench host [--json] [--knobs] [--root DIR]`: the host
 * capability report (hostinfo.c), for people by default and as JSON for
 * machines.  Read-only: it works without root and says which knobs would
 * need it. */
#include "cli/host.h"
#include "cli/opts.h"
#include "util/error.h"
#include "host/hostinfo.h"
#include "knobs/knobs.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

enum { O_JSON = CLI_LONG_ONLY, O_KNOBS, O_ROOT };

static const struct cli_opt host_opts[] = {
	{ "json", O_JSON, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "machine-readable (the \"host\" object of run.json)" },
	{ "knobs", O_KNOBS, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "list every knob a scenario's [host] section may set,\n"
	  "with its current value and allowed values" },
	{ "root", O_ROOT, CLI_ARG, "DIR", CLI_V_DIR, NULL, "read a copied or fake tree instead of /" },
	{ "help", 'h', CLI_NOARG, NULL, CLI_V_NONE, NULL, "print this help" },
	{ NULL, 0, CLI_NOARG, NULL, CLI_V_NONE, NULL, NULL },
};

const struct cli_doc host_doc = {
	.name = "host",
	.summary = "host capability report: CPU, KVM, KSM/THP/hugetlb/swap settings",
	.synopsis = "[--json] [--knobs] [--root DIR]",
	.description =
		"Print the host fingerprint: CPU and virtualization flags, NUMA memory,\n"
		"kernel, QEMU and libvirt versions, whether KVM is usable, and the KSM,\n"
		"UKSM, THP, hugetlb and swap settings.  Read-only: it works without root.",
	.opts = host_opts,
	.operands = CLI_V_NONE,
	.exit_status = "0 printed, 2 usage error.",
};

/* "key value, key value" for the scalar members of an object. */
static void print_settings(const char *title, json_t *o, const char *absent)
{
	const char *key;
	json_t *v;
	int col = 11, n = 0;

	printf("%-10s ", title);
	if (!json_is_object(o)) {
		printf("%s\n", absent);
		return;
	}
	json_object_foreach(o, key, v) {
		char buf[160];
		int len;

		if (json_is_integer(v))
			len = snprintf(buf, sizeof(buf), "%s %lld", key, (long long)json_integer_value(v));
		else if (json_is_string(v))
			len = snprintf(buf, sizeof(buf), "%s %s", key, json_string_value(v));
		else
			continue;
		if (n && col + len + 2 > 100) {
			printf(",\n%-10s ", "");
			col = 11;
		} else if (n) {
			printf(", ");
			col += 2;
		}
		fputs(buf, stdout);
		col += len;
		n++;
	}
	printf("\n");
	json_object_foreach(o, key, v)
		if (json_is_object(v)) {
			char sub[64];

			snprintf(sub, sizeof(sub), "  %s", key);
			print_settings(sub, v, "");
		}
}

static const char *str(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : dflt;
}

static long long num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void print_cpu(json_t *cpu)
{
	json_t *flags = json_object_get(cpu, "flags"), *caches = json_object_get(cpu, "caches");
	json_t *notes = json_object_get(cpu, "cross_check"), *v;
	const char *key;
	size_t i;

	printf("%-10s %s (%s, family %lld model %lld stepping %lld)\n", "CPU",
	       str(cpu, "model_name", "?"), str(cpu, "vendor", "?"), num(cpu, "family"),
	       num(cpu, "model"), num(cpu, "stepping"));
	printf("%-10s %lld threads", "", num(cpu, "threads"));
	if (json_object_get(cpu, "cores_per_package"))
		printf(", %lld cores / %lld threads per package", num(cpu, "cores_per_package"),
		       num(cpu, "threads_per_package"));
	json_object_foreach(caches, key, v)
		printf(", %s %lld KiB", key, num(v, "size_kib"));
	printf("\n%-10s flags:", "");
	json_object_foreach(flags, key, v)
		printf(" %s=%s", key, json_is_true(v) ? "yes" : "no");
	printf("\n");
	json_array_foreach(notes, i, v)
		printf("%-10s note: %s\n", "", json_string_value(v));
}

static void print_memory(json_t *h)
{
	json_t *numa = json_object_get(h, "numa"), *n;
	size_t i;

	printf("%-10s %.1f GiB", "Memory", num(h, "memory_kib") / 1048576.0);
	json_array_foreach(numa, i, n)
		printf("%s node%lld %.1f GiB (%.1f GiB free, cpus %s)", i ? "," : ";",
		       num(n, "node"), num(n, "mem_total_kib") / 1048576.0,
		       num(n, "mem_free_kib") / 1048576.0, str(n, "cpus", "?"));
	printf("\n");
}

static void print_kvm(json_t *kvm)
{
	static const char *const p[] = { "ept", "vpid", "npt" };

	printf("%-10s %s: %s\n", "KVM", json_is_true(json_object_get(kvm, "kvm_usable")) ?
	       "usable" : "not usable", str(kvm, "kvm_reason", "?"));
	printf("%-10s", "");
	for (int i = 0; i < 3; i++)
		printf("%s %s=%s", i ? "," : "", p[i], str(kvm, p[i], "-"));
	printf("  (- : kvm_intel/kvm_amd not loaded)\n");
}

static void print_hugetlb(json_t *pools)
{
	json_t *pool;
	size_t i;

	printf("%-10s ", "hugetlb");
	if (!json_array_size(pools))
		printf("no hugetlb pools");
	json_array_foreach(pools, i, pool) {
		const char *node;
		json_t *nv;

		printf("%s%s: %lld pages (%lld free, %lld surplus, %lld reserved, overcommit %lld)",
		       i ? "\n           " : "", str(pool, "size", "?"), num(pool, "nr_hugepages"),
		       num(pool, "free_hugepages"), num(pool, "surplus_hugepages"),
		       num(pool, "resv_hugepages"), num(pool, "nr_overcommit_hugepages"));
		json_object_foreach(json_object_get(pool, "nodes"), node, nv)
			printf(", %s %lld", node, num(nv, "nr_hugepages"));
	}
	printf("\n");
}

static void print_human(json_t *h)
{
	json_t *swap = json_object_get(h, "swap"), *unw = json_object_get(h, "unwritable_knobs"), *v;
	size_t i;

	print_cpu(json_object_get(h, "cpu"));
	printf("%-10s %s\n", "Kernel", str(h, "kernel", "?"));
	print_memory(h);
	printf("%-10s %s\n", "QEMU", str(h, "qemu", str(h, "qemu_error", "?")));
	printf("%-10s %s\n", "libvirt", str(h, "libvirt", "not available"));
	print_kvm(json_object_get(h, "kvm"));
	print_settings("KSM", json_object_get(h, "ksm"), "not in this kernel");
	print_settings("UKSM", json_object_get(h, "uksm"), "not in this kernel (stock kernels lack it)");
	print_settings("THP", json_object_get(h, "thp"), "not in this kernel");
	print_hugetlb(json_object_get(h, "hugetlb"));
	printf("%-10s ", "swap");
	if (num(swap, "total_kib"))
		printf("%.1f GiB, %.1f GiB used", num(swap, "total_kib") / 1048576.0,
		       num(swap, "used_kib") / 1048576.0);
	else
		printf("none");
	printf("; swappiness %lld, overcommit_memory %lld, overcommit_ratio %lld\n",
	       num(swap, "swappiness"), num(swap, "overcommit_memory"), num(swap, "overcommit_ratio"));
	if (json_array_size(unw)) {
		printf("%-10s not root: changing these knobs needs root:", "note");
		json_array_foreach(unw, i, v)
			printf("%s %s", i ? "," : "", json_string_value(v));
		printf("\n");
	}
}

static void print_knobs(const char *root)
{
	const char *const *names = knob_names();
	struct strbuf cur = STRBUF_INIT, allowed = STRBUF_INIT;

	for (size_t i = 0; names[i]; i++) {
		int rc = knob_read(root, names[i], &cur);

		knob_allowed(names[i], &allowed);
		printf("%-40s %-12s %s; %s\n", names[i], rc == 0 ? cur.buf : "(absent)",
		       knob_help(names[i]), allowed.buf);
	}
	strbuf_release(&cur);
	strbuf_release(&allowed);
}

int cmd_host(int argc, char **argv, struct cmd_env *env)
{
	struct cli_getopt g;
	const char *root = "/";
	int json = 0, knobs = 0, c;
	json_t *h;

	cli_getopt_init(&g, &host_doc);
	optind = 1;
	while ((c = cli_getopt_next(&g, argc, argv)) != -1) {
		switch (c) {
		case O_JSON: json = 1; break;
		case O_KNOBS: knobs = 1; break;
		case O_ROOT: root = optarg; break;
		case 'h': cli_usage(stdout, &host_doc); return OCB_EXIT_OK;
		default: cli_usage(stderr, &host_doc); return OCB_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ocbench host: unexpected argument '%s'\n", argv[optind]);
		cli_usage(stderr, &host_doc);
		return OCB_EXIT_USAGE;
	}
	if (knobs) {
		print_knobs(root);
		return OCB_EXIT_OK;
	}
	h = knob_host_fingerprint(root);
	if (json) {
		char *s = json_dumps(h, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		printf("%s\n", s);
		free(s);
	} else {
		print_human(h);
	}
	json_decref(h);
	return OCB_EXIT_OK;
}
