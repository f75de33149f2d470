/* run.c — `ocbench run SCENARIO... [options]`. */
#include "cli/run.h"
#include "cli/opts.h"
#include "knobs/journal.h"
#include "vm/vm.h"
#include "vm/backends.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/interrupt.h"
#include "knobs/hostlock.h"
#include "knobs/remote-lock.h"
#include "knobs/route.h"
#include "knobs/knobs.h"
#include "util/progress.h"
#include "results/results.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "util/units.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STR_(x) #x
#define STR(x) STR_(x)

enum {
	O_BACKEND = CLI_LONG_ONLY, O_URI, O_QEMU, O_ACCEL, O_IMAGE, O_QUICK, O_NATIVE, O_YES,
	O_REPEAT, O_FORCE, O_MODULES, O_STATE_DIR, O_NO_WAIT, O_ROOT, O_LIST_KEYS,
};

static const struct cli_opt run_opts[] = {
	{ "output", 'o', CLI_ARG, "DIR", CLI_V_DIR, NULL, "results root (default: results)" },
	{ "backend", O_BACKEND, CLI_ARG, "NAME", CLI_V_BACKENDS, NULL,
	  "qemu (default), libvirt, or native (same as --native)" },
	{ "uri", O_URI, CLI_ARG, "URI", CLI_V_NONE, NULL,
	  "libvirt connection for guests without `uri =`\n"
	  "(default qemu:///system; qemu+ssh://HOST/system)" },
	{ "qemu", O_QEMU, CLI_ARG, "PATH", CLI_V_FILE, NULL,
	  "emulator binary (default: qemu-system-x86_64)" },
	{ "accel", O_ACCEL, CLI_ARG, "MODE", CLI_V_WORDS, "auto kvm tcg",
	  "auto (default), kvm or tcg; auto uses KVM only with\n"
	  "real vmx/svm and kvm_intel/kvm_amd loaded" },
	{ "image", O_IMAGE, CLI_ARG, "PATH", CLI_V_FILE, NULL,
	  "guest image for every guest: a directory with a\n"
	  "kernel and initramfs, or a disk image; it must run\n"
	  "qemu-guest-agent (default: the built-in guest)" },
	{ "quick", O_QUICK, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "apply the scenario's [quick] overrides" },
	{ "native", O_NATIVE, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "run the guests' workloads on the host instead\n"
	  "(bare-metal baseline; balloon actions are skipped)" },
	{ "repeat", O_REPEAT, CLI_ARG, "N", CLI_V_NONE, NULL,
	  "repeats of every matrix combination (overrides the\n"
	  "scenario's `repeat`)" },
	{ "yes", O_YES, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "run a matrix of more than " STR(SCENARIO_DEFAULT_MAX_RUNS) " runs" },
	{ "force", O_FORCE, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "start although a killed run's knob journal exists\n"
	  "(it is restored first)" },
	{ "allow-module-reload", O_MODULES, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "let ept/vpid/npt knobs reload kvm_intel/kvm_amd\n"
	  "(only while no VM runs; journaled like every knob)" },
	{ "state-dir", O_STATE_DIR, CLI_ARG, "DIR", CLI_V_DIR, NULL,
	  "knob journal directory (default: $OCBENCH_STATE_DIR\n"
	  "or " OCB_DEFAULT_STATE_DIR ")" },
	{ "no-wait", O_NO_WAIT, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "exit 2 instead of waiting when another ocbench\n"
	  "changes host knobs (holds $OCBENCH_LOCK_DIR/host.lock,\n"
	  "default /run/ocbench/host.lock)" },
	{ "root", O_ROOT, CLI_ARG, "DIR", CLI_V_DIR, NULL,
	  "host filesystem root for knobs (tests: a fake tree)" },
	{ "list-keys", O_LIST_KEYS, CLI_OPTARG, "KEY", CLI_V_KEYS, NULL,
	  "print every scenario key, host knob and timeline\n"
	  "action (with KEY: only the rows of that one)" },
	{ "help", 'h', CLI_NOARG, NULL, CLI_V_NONE, NULL, "print this help" },
	{ NULL, 0, CLI_NOARG, NULL, CLI_V_NONE, NULL, NULL },
};

const struct cli_doc run_doc = {
	.name = "run",
	.summary = "run scenarios: boot guests, drive the timeline, write results",
	.synopsis = "SCENARIO.ini... [options]",
	.description =
		"Boot the scenario's guests, drive its timeline, write one results\n"
		"directory per run under OUT/SCENARIO-TIMESTAMP/ with an index.json.\n"
		"The scenario file's keys, host knobs and timeline actions are in\n"
		"ocbench-scenario(5) and `ocbench run --list-keys`.",
	.opts = run_opts,
	.operands = CLI_V_SCENARIO,
	.exit_status = "0 every run complete, 1 a run failed or was interrupted,\n"
		       "2 usage or set-up error.",
};

static const struct scenario_hooks hooks = {
	.validate_host = knob_validate,
	.host_keys = knob_names,
	.host_help = knob_help,
	.validate_workload = runner_validate_workload,
};

const struct scenario_hooks *run_scenario_hooks(void)
{
	return &hooks;
}

/* results/NAME-YYYYmmddTHHMMSS, with -2, -3... if it already exists. */
static int make_index_dir(const char *out, const char *name, char *dir, size_t len)
{
	char stamp[32], abs[PATH_MAX];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	if (results_make_index_dir(out, name, stamp, dir, len) < 0)
		return -1;
	/* Absolute: the path goes into QEMU's argv and run.json. */
	if (!realpath(dir, abs))
		return ocb_fail_errno("cannot resolve %s", dir);
	snprintf(dir, len, "%s", abs);
	return 0;
}

/* The final table of a sweep: one line per run. */
static void table_add(struct strbuf *t, size_t i, json_t *matrix, const struct run_outcome *o)
{
	const char *k;
	json_t *v;

	if (!t->len)
		strbuf_addf(t, "%-5s %-10s %s\n", "RUN", "STATUS", "MATRIX");
	strbuf_addf(t, "%-5zu %-10s ", i, o->status);
	json_object_foreach(matrix, k, v)
		strbuf_addf(t, "%s=%s ", k, json_string_value(v));
	if (!json_object_size(matrix))
		strbuf_adds(t, "-");
	strbuf_addch(t, '\n');
}

/* The remote libvirt hosts of a run's guests, each once, into uris;
 * *here 1 when a guest runs on this host (or none runs at all). */
static size_t remote_hosts(const struct scenario *s, const struct run_options *ro,
			   const char **uris, size_t max, int *here)
{
	int lv = ro->backend && !strcmp(ro->backend, "libvirt");
	size_t n = 0;

	*here = s->n_guests == 0;
	for (size_t g = 0; g < s->n_guests; g++) {
		const char *u = s->guests[g].spec->uri ? s->guests[g].spec->uri : ro->uri;
		size_t j;

		if (!knob_route_is_remote(lv, u)) {
			*here = 1;	/* the other backends' guests run here */
			continue;
		}
		for (j = 0; j < n && strcmp(uris[j], u); j++)
			;
		if (j == n && n < max)
			uris[n++] = u;
	}
	return n;
}

#define MAX_LOCKED_HOSTS 64

struct held_locks {
	int local;
	const char *remote[MAX_LOCKED_HOSTS];
	size_t n_remote;
};

/* The host-wide locks when any run sets a [host] knob, before anything
 * starts: this host's when a guest runs here, and the lock each remote
 * libvirt host's daemon holds for it (knobs/remote-lock.h).  The wait (or
 * --no-wait's exit 2) comes here, not in the middle of a run. */
static int hold_lock_if_knobs(struct scenario *const *runs, size_t n, const struct run_options *ro,
			      struct held_locks *held)
{
	for (size_t i = 0; i < n; i++) {
		int here;

		if (!runs[i]->n_host)
			continue;
		held->n_remote = remote_hosts(runs[i], ro, held->remote, MAX_LOCKED_HOSTS, &here);
		if (here) {
			if (hostlock_hold() < 0) {
				held->n_remote = 0;
				return -1;
			}
			held->local = 1;
		}
		for (size_t h = 0; h < held->n_remote; h++) {
			if (lvlock_hold(held->remote[h]) < 0) {
				held->n_remote = h;
				return -1;
			}
		}
		return 0;
	}
	return 0;
}

static void drop_locks(struct held_locks *held)
{
	for (size_t h = 0; h < held->n_remote; h++)
		lvlock_drop(held->remote[h]);
	if (held->local)
		hostlock_drop();
	memset(held, 0, sizeof(*held));
}

static int run_scenario(const char *path, const char *out, int quick, int yes, unsigned repeat,
			const struct run_options *ro)
{
	struct scenario *s = scenario_load(path, &hooks, quick), **runs = NULL;
	char index_dir[4096];
	json_t *index = NULL;
	struct strbuf table = STRBUF_INIT;
	size_t n = 0, failed = 0, done = 0;
	int rc = OCB_EXIT_USAGE;
	struct held_locks held = { 0, { NULL }, 0 };

	if (!s || scenario_check_runnable(s) < 0) {
		fprintf(stderr, "ocbench: %s\n", ocb_errmsg());
		goto out;
	}
	if (repeat)
		s->repeat = repeat;	/* --repeat overrides the scenario's */
	if (scenario_expand(s, 0, yes, &runs, &n) < 0) {
		fprintf(stderr, "ocbench: %s\n", ocb_errmsg());
		goto out;
	}
	if (hold_lock_if_knobs(runs, n, ro, &held) < 0 ||
	    make_index_dir(out, s->name, index_dir, sizeof(index_dir)) < 0) {
		fprintf(stderr, "ocbench: %s\n", ocb_errmsg());
		goto out;
	}
	index = json_array();
	for (size_t i = 0; i < n && !ocb_interrupted; i++) {
		struct run_outcome o;
		char dir[4200], rel[32];
		json_t *matrix = json_object();
		int r;

		snprintf(rel, sizeof(rel), "run-%03zu", i + 1);
		snprintf(dir, sizeof(dir), "%s/%s", index_dir, rel);
		r = runner_run(runs[i], ro, dir, &o);
		if (r < 0) {
			fprintf(stderr, "ocbench: %s\n", ocb_errmsg());
			run_outcome_release(&o);
			json_decref(matrix);
			goto out;
		}
		for (size_t a = 0; a < runs[i]->n_axes; a++)
			json_object_set_new(matrix, runs[i]->axes[a].axis,
					    json_string(runs[i]->axes[a].value));
		json_array_append_new(index, json_pack("{s:s, s:o, s:i, s:s, s:s}", "dir", rel, "matrix", matrix,
						       "repeat", (int)(runs[i]->repeat_index - 1),
						       "status", o.status, "reason", o.reason));
		if (results_write_index(index_dir, s->name, json_incref(index)) < 0)
			fprintf(stderr, "ocbench: %s\n", ocb_errmsg());
		for (size_t k = 0; k < json_array_size(o.summary); k++)
			progress_line("%s", json_string_value(json_array_get(o.summary, k)));
		progress_line("run %zu/%zu: %s%s%s -> %s", i + 1, n, o.status, o.reason[0] ? ": " : "",
			      o.reason, dir);
		table_add(&table, i + 1, matrix, &o);
		done++;
		if (r)
			failed++;
		run_outcome_release(&o);
	}
	if (n > 1)
		printf("%s", strbuf_str(&table));
	printf("%s: %zu of %zu run(s) complete; results in %s\n", s->name, done - failed, n, index_dir);
	rc = (failed || done < n) ? OCB_EXIT_FAIL : OCB_EXIT_OK;
out:
	drop_locks(&held);
	strbuf_release(&table);
	json_decref(index);
	scenario_free_runs(runs, n);
	scenario_free(s);
	return rc;
}

/* What the command line asks of `ocbench run`, besides env's state dir,
 * root and force. */
struct run_cli {
	struct run_options ro;
	const char *out;
	int quick, yes;
	unsigned repeat;
};

static int parse_repeat(const char *arg, unsigned *repeat)
{
	uint64_t v;

	if (parse_u64_range(arg, 1, 1000, &v) < 0)
		return ocb_err_prefix("--repeat: ");
	*repeat = (unsigned)v;
	return 0;
}

enum parsed {
	PARSED_RUN = 0,		/* go on and run */
	PARSED_DONE = 1,	/* --help, --list-keys: printed, exit 0 */
	PARSED_BAD = -1,	/* the message says what is wrong */
	PARSED_USAGE = -2,	/* the usage is printed already */
};

static enum parsed parse_run_options(int argc, char **argv, struct run_cli *cl, struct cmd_env *env)
{
	struct cli_getopt g;
	int opt;

	cli_getopt_init(&g, &run_doc);
	optind = 1;
	while ((opt = cli_getopt_next(&g, argc, argv)) != -1) {
		switch (opt) {
		case 'o': cl->out = optarg; break;
		case O_BACKEND: cl->ro.backend = optarg; break;
		case O_URI: cl->ro.uri = optarg; break;
		case O_QEMU: cl->ro.qemu_binary = optarg; break;
		case O_ACCEL:
			if (accel_parse(optarg, &cl->ro.accel) < 0)
				return PARSED_BAD;
			break;
		case O_IMAGE: cl->ro.image = optarg; break;
		case O_QUICK: cl->quick = 1; break;
		case O_NATIVE: cl->ro.backend = "native"; break;
		case O_YES: cl->yes = 1; break;
		case O_REPEAT:
			if (parse_repeat(optarg, &cl->repeat) < 0)
				return PARSED_BAD;
			break;
		case O_FORCE: env->force = 1; break;
		case O_MODULES: cl->ro.allow_module_reload = 1; break;
		case O_STATE_DIR: env->state_dir = optarg; break;
		case O_NO_WAIT: hostlock_set_wait(0); break;
		case O_ROOT: env->root = optarg; break;
		case O_LIST_KEYS:
			if (scenario_print_keys(stdout, &hooks, optarg) < 0)
				return PARSED_BAD;
			return PARSED_DONE;
		case 'h': cli_usage(stdout, &run_doc); return PARSED_DONE;
		default: cli_usage(stderr, &run_doc); return PARSED_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ocbench run: no scenario given\n\n");
		cli_usage(stderr, &run_doc);
		return PARSED_USAGE;
	}
	cl->ro.state_dir = env->state_dir;
	cl->ro.root = env->root;
	cl->ro.force = env->force;
	return PARSED_RUN;
}

static int check_backend(const struct run_options *ro)
{
	if (!vm_backend_known(ro->backend))
		return -1;
	if (ro->uri && strcmp(ro->backend, "libvirt"))
		return ocb_fail("--uri %s needs --backend libvirt (the backend is %s)", ro->uri,
				ro->backend);
	return 0;
}

int cmd_run(int argc, char **argv, struct cmd_env *env)
{
	struct run_cli cl = {
		.ro = {
			.backend = "qemu",
			.qemu_binary = "qemu-system-x86_64",
			.accel = ACCEL_AUTO,
		},
		.out = "results",
	};
	enum parsed p = parse_run_options(argc, argv, &cl, env);
	int rc = OCB_EXIT_OK;

	if (p == PARSED_RUN && (check_backend(&cl.ro) < 0 || cmd_env_ready(env) < 0))
		p = PARSED_BAD;
	if (p == PARSED_BAD)
		fprintf(stderr, "ocbench run: %s\n", ocb_errmsg());
	if (p != PARSED_RUN)
		return p == PARSED_DONE ? OCB_EXIT_OK : OCB_EXIT_USAGE;
	for (int i = optind; i < argc && !ocb_interrupted; i++) {
		int r = run_scenario(argv[i], cl.out, cl.quick, cl.yes, cl.repeat, &cl.ro);

		if (r > rc)
			rc = r;
	}
	return ocb_interrupted && rc == OCB_EXIT_OK ? OCB_EXIT_FAIL : rc;
}
