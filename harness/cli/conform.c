/* conform.c — `ocbench conform`: run the conformance checks and
 * print/write their results (text table, JUnit, TAP, JSON).
 *
 * Exit: 0 nothing failed (skips are fine), 1 a check failed (or the run
 * was interrupted), 2 usage or set-up error, including a check that
 * could not be carried out (ERROR) and host knobs that could not be
 * restored. */
#include "cli/conform.h"
#include "cli/opts.h"
#include "knobs/journal.h"
#include "conform/conform.h"
#include "conform/fixture.h"
#include "conform/suites.h"
#include "conform/emit.h"
#include "vm/backends.h"
#include "knobs/hostlock.h"
#include "knobs/knobs.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/interrupt.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IDS 64

enum {
	O_SUITE = CLI_LONG_ONLY, O_CHECK, O_SKIP, O_LIST, O_JUNIT, O_TAP, O_JSON, O_BACKEND, O_URI, O_QEMU,
	O_ACCEL, O_IMAGE, O_MODULES, O_STATE_DIR, O_NO_WAIT, O_FORCE, O_WORKDIR, O_ROOT,
};

static const struct cli_opt conform_opts[] = {
	{ "suite", O_SUITE, CLI_ARG, "LIST", CLI_V_SUITES, NULL,
	  "suites to run: balloon,ksm,thp,hugetlb,ept,reclaim (default all)" },
	{ "check", O_CHECK, CLI_ARG, "ID", CLI_V_CHECKS, NULL,
	  "run only this check (repeatable, or a comma list)" },
	{ "skip", O_SKIP, CLI_ARG, "ID", CLI_V_CHECKS, NULL,
	  "leave this check out (repeatable, or a comma list); it is\n"
	  "reported as a skip that says so" },
	{ "list", O_LIST, CLI_NOARG, NULL, CLI_V_NONE, NULL, "print every check and exit" },
	{ "junit", O_JUNIT, CLI_ARG, "FILE", CLI_V_FILE, NULL,
	  "write JUnit XML (skips as <skipped message=...>)" },
	{ "tap", O_TAP, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "print TAP 13 on stdout instead of the table" },
	{ "json", O_JSON, CLI_ARG, "FILE", CLI_V_FILE, NULL,
	  "write every result with its evidence as JSON" },
	{ "backend", O_BACKEND, CLI_ARG, "NAME", CLI_V_WORDS, "qemu libvirt",
	  "qemu (default) or libvirt" },
	{ "uri", O_URI, CLI_ARG, "URI", CLI_V_NONE, NULL,
	  "libvirt connection URI (default qemu:///system)" },
	{ "qemu", O_QEMU, CLI_ARG, "PATH", CLI_V_FILE, NULL,
	  "emulator binary (default: qemu-system-x86_64)" },
	{ "accel", O_ACCEL, CLI_ARG, "MODE", CLI_V_WORDS, "auto kvm tcg",
	  "auto (default), kvm or tcg" },
	{ "image", O_IMAGE, CLI_ARG, "PATH", CLI_V_FILE, NULL,
	  "guest image (default: the built-in guest); it must run\n"
	  "qemu-guest-agent and have the ocbench workloads" },
	{ "allow-module-reload", O_MODULES, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "EPT-003 may reload kvm_intel/kvm_amd" },
	{ "state-dir", O_STATE_DIR, CLI_ARG, "DIR", CLI_V_DIR, NULL,
	  "knob journal directory (default: $OCBENCH_STATE_DIR\n"
	  "or " OCB_DEFAULT_STATE_DIR ")" },
	{ "no-wait", O_NO_WAIT, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "fail instead of waiting while another ocbench changes\n"
	  "host knobs (it holds the host-wide lock)" },
	{ "force", O_FORCE, CLI_NOARG, NULL, CLI_V_NONE, NULL,
	  "start although a killed run's knob journal exists" },
	{ "workdir", O_WORKDIR, CLI_ARG, "DIR", CLI_V_DIR, NULL,
	  "keep the guests' console and QEMU logs in DIR" },
	{ "root", O_ROOT, CLI_ARG, "DIR", CLI_V_DIR, NULL,
	  "host filesystem root (tests: a fake tree)" },
	{ "quiet", 'q', CLI_NOARG, NULL, CLI_V_NONE, NULL, "no progress lines on stderr" },
	{ "help", 'h', CLI_NOARG, NULL, CLI_V_NONE, NULL, "print this help" },
	{ NULL, 0, CLI_NOARG, NULL, CLI_V_NONE, NULL, NULL },
};

const struct cli_doc conform_doc = {
	.name = "conform",
	.summary = "conformance checks: balloon, KSM, THP, hugetlb, EPT/VPID, reclaim (JUnit/TAP/JSON)",
	.synopsis = "[options]",
	.description =
		"Check that balloon, KSM, THP, hugetlb, EPT/VPID and the newer reclaim\n"
		"mechanisms (free page reporting, deflate-on-oom, virtio-mem, swap) do\n"
		"what they promise on this host.  Each check passes, fails, or skips with\n"
		"the reason; the evidence behind every verdict is printed and written.\n"
		"Host settings the suite changes are journaled first and restored when\n"
		"each suite ends.",
	.opts = conform_opts,
	.operands = CLI_V_NONE,
	.listed = CLI_V_CHECKS,
	.exit_status = "0 nothing failed (skips are fine), 1 a check failed, 2 usage or\n"
		       "set-up error (including a check that could not be carried out).",
};

static void list_checks(void)
{
	const struct conform_suite *const *s = conform_suites();

	for (size_t i = 0; s[i]; i++)
		for (size_t k = 0; k < s[i]->n; k++)
			printf("%-9s %-8s %s\n", s[i]->checks[k].id, s[i]->name, s[i]->checks[k].title);
}

/* --check A,B --check C (or --skip) into ids[]. */
static int add_ids(const char *opt, char *arg, const char **ids, size_t *n)
{
	char *save = NULL;

	for (char *t = strtok_r(arg, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (*n + 1 >= MAX_IDS)
			return ocb_fail("more than %d --%s ids", MAX_IDS - 1, opt);
		ids[(*n)++] = t;
	}
	ids[*n] = NULL;
	return 0;
}

static int write_out(const struct conform_emitter *e, const struct conform_report *rep, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	e->emit(rep, &sb);
	if (!path)
		fwrite(sb.buf, 1, sb.len, stdout);
	else if (write_file_atomic(path, sb.buf, sb.len, 0644) < 0)
		rc = -1;
	strbuf_release(&sb);
	return rc;
}

static int exit_code(const struct conform_report *rep)
{
	size_t f, e;

	conform_report_counts(rep, NULL, &f, NULL, &e);
	if (f || rep->interrupted)
		return OCB_EXIT_FAIL;
	return e ? OCB_EXIT_USAGE : OCB_EXIT_OK;
}

struct cli {
	struct conform_options opt;
	const char *suites, *junit, *json, *backend;
	const char *ids[MAX_IDS], *skip[MAX_IDS];
	size_t n_ids, n_skip;
	int tap;
};

static int parse(int argc, char **argv, struct cli *cl, struct cmd_env *env)
{
	struct cli_getopt g;
	int o;

	cli_getopt_init(&g, &conform_doc);
	optind = 1;
	while ((o = cli_getopt_next(&g, argc, argv)) != -1) {
		switch (o) {
		case O_SUITE: cl->suites = optarg; break;
		case O_CHECK:
			if (add_ids("check", optarg, cl->ids, &cl->n_ids) < 0)
				return -1;
			break;
		case O_SKIP:
			if (add_ids("skip", optarg, cl->skip, &cl->n_skip) < 0)
				return -1;
			cl->opt.skip_ids = cl->skip;
			break;
		case O_LIST: list_checks(); return 1;
		case O_JUNIT: cl->junit = optarg; break;
		case O_TAP: cl->tap = 1; break;
		case O_JSON: cl->json = optarg; break;
		case O_BACKEND: cl->backend = optarg; break;
		case O_URI: cl->opt.uri = optarg; break;
		case O_QEMU: cl->opt.qemu_binary = optarg; break;
		case O_ACCEL:
			if (accel_parse(optarg, &cl->opt.accel) < 0)
				return -1;
			break;
		case O_IMAGE: cl->opt.image = optarg; break;
		case O_MODULES: cl->opt.allow_module_reload = 1; break;
		case O_STATE_DIR: env->state_dir = optarg; break;
		case O_FORCE: env->force = 1; break;
		case O_NO_WAIT: hostlock_set_wait(0); break;
		case O_WORKDIR: cl->opt.workdir = optarg; break;
		case O_ROOT: env->root = optarg; break;
		case 'q': cl->opt.quiet = 1; break;
		case 'h': cli_usage(stdout, &conform_doc); return 1;
		default: cli_usage(stderr, &conform_doc); return ocb_fail("invalid option");
		}
	}
	if (optind < argc)
		return ocb_fail("unexpected argument '%s'", argv[optind]);
	cl->opt.state_dir = env->state_dir;
	cl->opt.root = env->root;
	cl->opt.force = env->force;
	cl->opt.backend = vm_backend_find(cl->backend);
	if (!cl->opt.backend)
		return -1;
	if (conform_validate_selection(NULL, cl->opt.skip_ids) < 0)
		return -1;
	return conform_validate_selection(cl->suites, cl->n_ids ? cl->ids : NULL);
}

int cmd_conform(int argc, char **argv, struct cmd_env *env)
{
	struct cli cl;
	struct conform_ctx ctx;
	struct conform_report rep;
	int p, rc, run_rc;

	memset(&cl, 0, sizeof(cl));
	memset(&rep, 0, sizeof(rep));
	cl.backend = "qemu";
	cl.opt.accel = ACCEL_AUTO;
	p = parse(argc, argv, &cl, env);
	if (p == 0 && cmd_env_ready(env) < 0)
		p = -1;
	if (p != 0) {
		if (p < 0)
			fprintf(stderr, "ocbench conform: %s\n", ocb_errmsg());
		return p < 0 ? OCB_EXIT_USAGE : OCB_EXIT_OK;
	}
	if (conform_ctx_init(&ctx, &cl.opt) < 0) {
		fprintf(stderr, "ocbench conform: %s\n", ocb_errmsg());
		conform_ctx_release(&ctx);
		return OCB_EXIT_USAGE;
	}
	rep.host = knob_host_fingerprint(env->root);
	run_rc = conform_run(&ctx, cl.suites, cl.n_ids ? cl.ids : NULL, &rep);
	/* Guests down and knobs back before anything is reported. */
	if (conform_ctx_release(&ctx) < 0) {
		fprintf(stderr, "ocbench conform: restoring host knobs: %s ('ocbench restore' retries)\n",
			ocb_errmsg());
		run_rc = -1;
	}
	rc = exit_code(&rep);
	if (write_out(cl.tap ? &conform_emit_tap : &conform_emit_text, &rep, NULL) < 0 ||
	    (cl.junit && write_out(&conform_emit_junit, &rep, cl.junit) < 0) ||
	    (cl.json && write_out(&conform_emit_json, &rep, cl.json) < 0)) {
		fprintf(stderr, "ocbench conform: %s\n", ocb_errmsg());
		rc = OCB_EXIT_USAGE;
	}
	if (cl.tap) {
		size_t ps, f, s, e;

		conform_report_counts(&rep, &ps, &f, &s, &e);
		fprintf(stderr, "conform: %zu passed, %zu failed, %zu skipped, %zu errors in %.1f s\n", ps, f, s, e,
			rep.wall_s);
	}
	if (run_rc < 0 && rc == OCB_EXIT_OK)
		rc = OCB_EXIT_USAGE;
	conform_report_release(&rep);
	return rc;
}
