/* keys.c — every key of [scenario] and [guest NAME] as one row of one
 * table: parsing a value, defaults, "did you mean" and --list-keys all come
 * from the row, so a key cannot be documented one way and parsed another.
 * --list-keys prints the timeline's table (timeline.c) after the keys.
 * The rows stay private; the folder asks for them through
 * scenario-internal.h.
 */
#include "scenario/keys.h"
#include "policy/policies.h"
#include "scenario/model.h"
#include "scenario/scenario-internal.h"
#include "scenario/timeline.h"
#include "scenario/words.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/units.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum key_type {
	KT_STRING,
	KT_UINT,	/* unsigned in [min, max] */
	KT_SIZE,	/* uint64_t bytes, bare number * unit */
	KT_DURATION,	/* uint64_t ns */
	KT_ENUM,	/* enum, index into allowed[] */
	KT_ONOFF,	/* int 1/0 */
	KT_WORKLOAD,	/* char *workload + char **workload_argv */
};

#define KEY_NO_AXIS 1	/* not allowed as a [matrix] axis */
#define KEY_FILE_NAME 2	/* a plain file-name component (sc_valid_name) */

struct sc_key {
	enum sc_section section;	/* SC_SEC_SCENARIO, SC_SEC_REPORT or SC_SEC_GUEST */
	const char *name;
	enum key_type type;
	size_t offset;			/* in struct scenario / scenario_guest_spec */
	const char *def;		/* default as it would be written; NULL: unset */
	const char *def_text;		/* what --list-keys shows when def is NULL */
	const char *const *allowed;	/* KT_ENUM, in enum order */
	uint64_t min, max;		/* KT_UINT */
	uint64_t unit;			/* KT_SIZE: unit of a bare number */
	int allow_zero;			/* KT_DURATION */
	int flags;
	const char *metavar;		/* KT_STRING: what the value is */
	const char *help;
};

static const char *const onoff_names[] = { "off", "on", NULL };

#define SOFF(f) offsetof(struct scenario, f)
#define GOFF(f) offsetof(struct scenario_guest_spec, f)

static const struct sc_key keys[] = {
	{ .section = SC_SEC_SCENARIO, .name = "name", .type = KT_STRING, .offset = SOFF(name),
	  .def_text = "file name without .ini", .flags = KEY_NO_AXIS | KEY_FILE_NAME,
	  .metavar = "NAME",
	  .help = "name of the scenario in results and reports" },
	{ .section = SC_SEC_SCENARIO, .name = "description", .type = KT_STRING,
	  .offset = SOFF(description), .def_text = "none", .metavar = "TEXT",
	  .help = "what the scenario reproduces (shown in reports)" },
	{ .section = SC_SEC_SCENARIO, .name = "repeat", .type = KT_UINT, .offset = SOFF(repeat),
	  .def = "1", .min = 1, .max = 1000, .flags = KEY_NO_AXIS,
	  .help = "runs of every matrix combination" },
	{ .section = SC_SEC_SCENARIO, .name = "duration", .type = KT_DURATION,
	  .offset = SOFF(duration_ns), .def = "0", .allow_zero = 1,
	  .help = "length of a run; 0: until the timeline has completed" },
	{ .section = SC_SEC_SCENARIO, .name = "host_memory_limit", .type = KT_SIZE,
	  .offset = SOFF(host_memory_limit), .def_text = "no limit", .unit = MiB,
	  .help = "cgroup memory cap on all QEMU processes of a run" },
	{ .section = SC_SEC_SCENARIO, .name = "sample_rate", .type = KT_UINT,
	  .offset = SOFF(sample_rate), .def = "10", .min = 1, .max = 1000,
	  .help = "sampler frequency in Hz (guest-agent sources sample at 1 Hz)" },
	{ .section = SC_SEC_SCENARIO, .name = "boot_timeout", .type = KT_DURATION,
	  .offset = SOFF(boot_timeout_ns), .def = "60s",
	  .help = "time a guest may take until its agent answers" },
	{ .section = SC_SEC_SCENARIO, .name = "boot_wave", .type = KT_UINT,
	  .offset = SOFF(boot_wave), .def = "0", .min = 0, .max = 1024,
	  .help = "guests launched at once before their agents are waited for; 0: one per CPU (at least 2)" },
	{ .section = SC_SEC_SCENARIO, .name = "command_timeout", .type = KT_DURATION,
	  .offset = SOFF(command_timeout_ns), .def = "30s",
	  .help = "time one QMP or guest-agent command (free -m, balloon) may take: a hung guest fails the run after it" },

	{ .section = SC_SEC_REPORT, .name = "headline", .type = KT_STRING,
	  .offset = SOFF(report_headline), .def_text = "the report's default", .flags = KEY_NO_AXIS,
	  .metavar = "PATTERN, ...",
	  .help = "metrics the report shows first (globs over metric names, e.g. *.balloon_inflate_s)" },

	{ .section = SC_SEC_POLICY, .name = "name", .type = KT_STRING, .offset = SOFF(policy_name),
	  .def_text = "none", .metavar = "static|mom|pve|psi|fpr-only|ksmtuned",
	  .help = "automatic balloon/KSM policy the run's controller follows (README: Policies)" },
	{ .section = SC_SEC_POLICY, .name = "interval", .type = KT_DURATION,
	  .offset = SOFF(policy_interval_ns), .def = "0", .allow_zero = 1,
	  .help = "the controller's cycle; 0: the policy's published one" },
	{ .section = SC_SEC_POLICY, .name = "ksm", .type = KT_STRING, .offset = SOFF(policy_ksm),
	  .def_text = "none", .metavar = "none|ksmtuned",
	  .help = "a KSM policy beside the balloon policy" },
	{ .section = SC_SEC_POLICY, .name = "floor", .type = KT_UINT, .offset = SOFF(policy_floor_pct),
	  .def = "25", .min = 1, .max = 100,
	  .help = "least balloon size a policy may ask, % of the guest's memory (below: clamped, logged)" },

	{ .section = SC_SEC_GUEST, .name = "count", .type = KT_UINT, .offset = GOFF(count),
	  .def = "1", .min = 1, .max = 256,
	  .help = "number of guests, named NAME-1..NAME-N" },
	{ .section = SC_SEC_GUEST, .name = "memory", .type = KT_SIZE, .offset = GOFF(memory_bytes),
	  .def = "2048M", .unit = MiB, .help = "guest RAM" },
	{ .section = SC_SEC_GUEST, .name = "vcpus", .type = KT_UINT, .offset = GOFF(vcpus),
	  .def = "1", .min = 1, .max = 256, .help = "virtual CPUs" },
	{ .section = SC_SEC_GUEST, .name = "balloon", .type = KT_ENUM, .offset = GOFF(balloon),
	  .def = "virtio", .allowed = sc_balloon_names, .help = "balloon device" },
	{ .section = SC_SEC_GUEST, .name = "balloon.stats_period", .type = KT_DURATION,
	  .offset = GOFF(stats_period_ns), .def = "1s", .allow_zero = 1,
	  .help = "balloon guest-stats polling interval; 0 = off" },
	{ .section = SC_SEC_GUEST, .name = "balloon.free_page_reporting", .type = KT_ONOFF,
	  .offset = GOFF(free_page_reporting), .def = "off", .allowed = onoff_names,
	  .help = "virtio-balloon free page reporting: the guest hands its free pages back to the host" },
	{ .section = SC_SEC_GUEST, .name = "balloon.free_page_hint", .type = KT_ONOFF,
	  .offset = GOFF(free_page_hint), .def = "off", .allowed = onoff_names,
	  .help = "virtio-balloon free page hinting (qemu backend only: libvirt has no XML for it)" },
	{ .section = SC_SEC_GUEST, .name = "balloon.deflate_on_oom", .type = KT_ONOFF,
	  .offset = GOFF(deflate_on_oom), .def = "off", .allowed = onoff_names,
	  .help = "virtio-balloon deflate-on-oom: the guest takes balloon pages back before an OOM kill" },
	{ .section = SC_SEC_GUEST, .name = "virtio_mem", .type = KT_SIZE, .offset = GOFF(vmem_bytes),
	  .def_text = "none", .unit = MiB,
	  .help = "virtio-mem device of this size beside `memory` (0: none); plug with `resize`" },
	{ .section = SC_SEC_GUEST, .name = "virtio_mem.block_size", .type = KT_SIZE,
	  .offset = GOFF(vmem_block_bytes), .def = "2M", .unit = MiB,
	  .help = "virtio-mem block size (a power of two, at least 2M)" },
	{ .section = SC_SEC_GUEST, .name = "virtio_mem.requested", .type = KT_SIZE,
	  .offset = GOFF(vmem_requested), .def_text = "0", .unit = MiB,
	  .help = "virtio-mem memory plugged at boot (whole blocks, at most virtio_mem)" },
	{ .section = SC_SEC_GUEST, .name = "backing", .type = KT_ENUM, .offset = GOFF(backing),
	  .def = "anonymous", .allowed = sc_backing_names, .help = "guest RAM backing" },
	{ .section = SC_SEC_GUEST, .name = "mem_merge", .type = KT_ONOFF, .offset = GOFF(mem_merge),
	  .def = "on", .allowed = onoff_names, .help = "let KSM merge the guest's RAM (madvise)" },
	{ .section = SC_SEC_GUEST, .name = "image", .type = KT_STRING, .offset = GOFF(image),
	  .def_text = "the built guest", .metavar = "PATH",
	  .help = "directory with vmlinuz/vmlinux + initramfs, or a disk image" },
	{ .section = SC_SEC_GUEST, .name = "kernel", .type = KT_STRING, .offset = GOFF(kernel),
	  .def_text = "from image", .metavar = "PATH", .help = "kernel (overrides image's)" },
	{ .section = SC_SEC_GUEST, .name = "initrd", .type = KT_STRING, .offset = GOFF(initrd),
	  .def_text = "from image", .metavar = "PATH", .help = "initramfs (overrides image's)" },
	{ .section = SC_SEC_GUEST, .name = "append", .type = KT_STRING, .offset = GOFF(append),
	  .def_text = "from image", .metavar = "CMDLINE", .help = "kernel command line" },
	{ .section = SC_SEC_GUEST, .name = "workload", .type = KT_WORKLOAD,
	  .offset = GOFF(workload), .def_text = "none",
	  .help = "PROGRAM ARGS run in the guest ('...' and \"...\" quote)" },
	{ .section = SC_SEC_GUEST, .name = "uri", .type = KT_STRING, .offset = GOFF(uri),
	  .def_text = "--uri", .metavar = "URI", .help = "libvirt connection URI of this guest" },
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

const struct sc_key *sc_key_find(enum sc_section sec, const char *name)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (keys[i].section == sec && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* NULL-terminated names of a section's keys (static storage). */
const char *const *sc_key_names(enum sc_section sec)
{
	static const char *names[SC_SEC_POLICY + 1][N_KEYS + 1];
	const char **v = names[sec];
	size_t n = 0;

	for (size_t i = 0; i < N_KEYS; i++)
		if (keys[i].section == sec)
			v[n++] = keys[i].name;
	v[n] = NULL;
	return v;
}

static int parse_enum(const char *value, const char *const *allowed, int *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	for (int i = 0; allowed[i]; i++) {
		if (strcasecmp(value, allowed[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	sc_add_name_list(&sb, allowed, " or ");
	s = ocb_suggest(value, allowed);
	if (s)
		ocb_fail("invalid value '%s': expected %s (did you mean '%s'?)", value, sb.buf, s);
	else
		ocb_fail("invalid value '%s': expected %s", value, sb.buf);
	strbuf_release(&sb);
	return -1;
}

static int set_workload(struct scenario_guest_spec *g, const char *value,
			const struct scenario_hooks *hooks)
{
	char **argv;
	size_t argc;

	if (scenario_split_argv(value, &argv, &argc) < 0)
		return -1;
	if (argc == 0) {
		scenario_argv_free(argv);
		return ocb_fail("empty workload: expected PROGRAM ARGS...");
	}
	if (hooks && hooks->validate_workload && hooks->validate_workload(argv[0]) < 0) {
		scenario_argv_free(argv);
		return -1;
	}
	free(g->workload);
	scenario_argv_free(g->workload_argv);
	g->workload = xstrdup(value);
	g->workload_argv = argv;
	return 0;
}

/* Parse value into the field k describes in base.  Unprefixed message. */
int sc_key_set(const struct sc_key *k, void *base, const char *value,
		   const struct scenario_hooks *hooks)
{
	void *field = (char *)base + k->offset;
	uint64_t v;
	int e;

	switch (k->type) {
	case KT_STRING:
		/* the scenario name becomes results/NAME-TIMESTAMP: a '/' or
		 * ".." in it would write outside -o */
		if ((k->flags & KEY_FILE_NAME) && !sc_valid_name(value))
			return ocb_fail("invalid name '%s': " SC_NAME_RULE, value);
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		return 0;
	case KT_UINT:
		if (parse_u64_range(value, k->min, k->max, &v) < 0)
			return -1;
		*(unsigned *)field = (unsigned)v;
		return 0;
	case KT_SIZE:
		if (parse_size(value, k->unit, &v) < 0)
			return -1;
		*(uint64_t *)field = v;
		return 0;
	case KT_DURATION:
		if (parse_duration_ns(value, k->allow_zero, &v) < 0)
			return -1;
		*(uint64_t *)field = v;
		return 0;
	case KT_ENUM:
	case KT_ONOFF:
		if (parse_enum(value, k->allowed, &e) < 0)
			return -1;
		*(int *)field = e;
		return 0;
	case KT_WORKLOAD:
		return set_workload(base, value, hooks);
	}
	return ocb_fail("internal error: key '%s' has no type", k->name);
}

void sc_key_defaults(enum sc_section sec, void *base)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (keys[i].section == sec && keys[i].def &&
		    sc_key_set(&keys[i], base, keys[i].def, NULL) < 0)
			abort();	/* a bad default is a bug of this table */
}

size_t sc_key_count(void)
{
	return N_KEYS;
}

size_t sc_key_index(const struct sc_key *k)
{
	return (size_t)(k - keys);
}

int sc_key_matrix_ok(const struct sc_key *k)
{
	return !(k->flags & KEY_NO_AXIS);
}

/* -------------------------------------------------------------- sections */

const char *sc_section_label(const struct scenario_doc *d, enum sc_section sec, size_t guest,
			     char *buf, size_t size)
{
	switch (sec) {
	case SC_SEC_GUEST:
		snprintf(buf, size, "guest %s", d->guests[guest].name);
		return buf;
	case SC_SEC_SCENARIO: return "scenario";
	case SC_SEC_HOST: return "host";
	case SC_SEC_TIMELINE: return "timeline";
	case SC_SEC_MATRIX: return "matrix";
	case SC_SEC_QUICK: return "quick";
	case SC_SEC_REPORT: return "report";
	case SC_SEC_POLICY: return "policy";
	case SC_SEC_NONE: break;
	}
	return "";
}

/* ------------------------------------------------------------- --list-keys */

static const char *sc_section_title(enum sc_section sec)
{
	return sec == SC_SEC_GUEST ? "[guest NAME]" : sec == SC_SEC_REPORT ? "[report]" :
	       sec == SC_SEC_POLICY ? "[policy]" : "[scenario]";
}

/* Every policy's own keys, from the policy registry. */
static void print_policy_keys(FILE *f)
{
	fprintf(f, "\n[policy]  POLICY.KEY = VALUE   a policy's own key (read when that policy runs)\n");
	for (size_t i = 0; i < policy_count(); i++) {
		const struct policy_ops *o = policy_at(i);

		for (size_t k = 0; o->params && o->params[k].name; k++) {
			char key[96];

			snprintf(key, sizeof(key), "%s.%s", o->name, o->params[k].name);
			fprintf(f, "  %-32s  default %-8g %s\n", key, o->params[k].def, o->params[k].help);
		}
	}
}

static void key_value_text(const struct sc_key *k, struct strbuf *sb)
{
	switch (k->type) {
	case KT_STRING:
		strbuf_adds(sb, k->metavar ? k->metavar : "TEXT");
		break;
	case KT_UINT:
		strbuf_addf(sb, "N (%llu..%llu)", (unsigned long long)k->min,
			    (unsigned long long)k->max);
		break;
	case KT_SIZE:
		strbuf_adds(sb, k->unit == MiB ? "SIZE (bare number: MiB)" : "SIZE");
		break;
	case KT_DURATION:
		strbuf_adds(sb, k->allow_zero ? "DURATION (0 allowed)" : "DURATION");
		break;
	case KT_ENUM:
	case KT_ONOFF:
		for (size_t i = 0; k->allowed[i]; i++)
			strbuf_addf(sb, "%s%s", i ? "|" : "", k->allowed[i]);
		break;
	case KT_WORKLOAD:
		strbuf_adds(sb, "PROGRAM ARGS...");
		break;
	}
}

/* The timeline's table; a usage too long for the column gets a line of
 * its own. */
static void print_actions(FILE *f, const char *only)
{
	if (!only)
		fprintf(f, "\n[timeline]  TIME = ACTION[, ACTION...]   (TIME from the start of the run; "
			"GLOB matches guest names, e.g. light-*)\n");
	for (size_t i = 0; i < timeline_action_count(); i++) {
		const struct timeline_action *a = timeline_action_at(i);

		if (only && strcmp(only, a->verb))
			continue;
		if (strlen(a->usage) <= 32)
			fprintf(f, "  %-32s  %s\n", a->usage, a->help);
		else
			fprintf(f, "  %s\n  %-32s  %s\n", a->usage, "", a->help);
	}
}

void scenario_each_key(const struct scenario_hooks *hooks, scenario_key_fn fn, void *arg)
{
	const char *const *hk = hooks && hooks->host_keys ? hooks->host_keys() : NULL;
	static const char *const host_help = "host knob (applied, restored after the run)";
	struct strbuf v = STRBUF_INIT;

	for (size_t i = 0; i < N_KEYS; i++) {
		const struct sc_key *k = &keys[i];
		struct scenario_key_info info;

		strbuf_reset(&v);
		key_value_text(k, &v);
		info = (struct scenario_key_info){ sc_section_title(k->section), k->name, v.buf,
						   k->def ? k->def : k->def_text, k->help };
		fn(&info, arg);
	}
	strbuf_release(&v);
	for (size_t i = 0; hk && hk[i]; i++) {
		const char *help = hooks->host_help ? hooks->host_help(hk[i]) : NULL;
		struct scenario_key_info info = { "[host]", hk[i], "VALUE", "unchanged",
						  help ? help : host_help };

		fn(&info, arg);
	}
	if (!hk) {
		struct scenario_key_info info = { "[host]", "KNOB", "VALUE", "unchanged", host_help };

		fn(&info, arg);
	}
}

struct key_table {
	FILE *f;
	const char *only;	/* NULL: every row */
	int wk, wv, wd;		/* column widths */
	size_t printed;
};

static void key_widths(const struct scenario_key_info *k, void *arg)
{
	struct key_table *t = arg;

	if ((int)strlen(k->name) > t->wk)
		t->wk = (int)strlen(k->name);
	if ((int)strlen(k->value) > t->wv)
		t->wv = (int)strlen(k->value);
	if ((int)strlen(k->def) > t->wd)
		t->wd = (int)strlen(k->def);
}

static void key_row(const struct scenario_key_info *k, void *arg)
{
	struct key_table *t = arg;

	if (t->only && strcmp(t->only, k->name))
		return;
	fprintf(t->f, "%-12s  %-*s  %-*s  %-*s  %s\n", k->section, t->wk, k->name, t->wv, k->value,
		t->wd, k->def, k->help);
	t->printed++;
}

int scenario_print_keys(FILE *f, const struct scenario_hooks *hooks, const char *only)
{
	struct key_table t = { f, only, (int)strlen("KNOB"), (int)strlen("VALUE"),
			       (int)strlen("unchanged"), 0 };

	if (only && timeline_action_find(only)) {
		print_actions(f, only);
		return 0;
	}
	scenario_each_key(hooks, key_widths, &t);
	fprintf(f, "%-12s  %-*s  %-*s  %-*s  %s\n", "SECTION", t.wk, "KEY", t.wv, "VALUE", t.wd,
		"DEFAULT", "DESCRIPTION");
	scenario_each_key(hooks, key_row, &t);
	if (only)
		return t.printed ? 0 : ocb_fail("--list-keys=%s: no scenario key, host knob or timeline "
						"action of that name (ocbench run --list-keys lists them)",
						only);
	print_policy_keys(f);
	print_actions(f, NULL);
	fprintf(f, "\n[matrix]  SECTION.KEY = V1, V2, ...   one run per combination "
		"(scenario.KEY, host.KEY, guest.NAME.KEY)\n"
		"[quick]   SECTION.KEY = VALUE          applied with --quick, before [matrix];\n"
		"          timeline.TIME = ACTIONS      lines that replace the whole [timeline]\n");
	return 0;
}
