/* conform.c — `ocbench conform`: run the conformance checks and
 * print/write their results (text table, JUnit, TAP, JSON).
 *
 * Exit: 0 nothing failed (skips are fine), 1 a check failed (or the run
 * was interrupted), 2 usage or set-up error, including a check that
 * could not be carried out (ERROR) and host knobs that could not be
 * restored. */
#include "cli/conform.h"
#include "conform/conform.h"
#include "conform/fixture.h"
#include "conform/suites.h"
#include "conform/emit.h"
#include "vm/backends.h"
#include "knobs/hostlock.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/interrupt.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IDS 64

static void conform_usage(FILE *f)
{
	fprintf(f,
		"usage: ocbench conform [options]\n"
		"\n"
		"Check that balloon, KSM, THP, hugetlb and EPT/VPID do what they promise on\n"
		"this host.  Each check passes, fails, or skips with the reason; the\n"
		"evidence behind every verdict is printed and written.\n"
		"\n"
		"      --suite LIST      suites to run: balloon,ksm,thp,hugetlb,ept,reclaim (default all)\n"
		"      --check ID        run only this check (repeatable, or a comma list)\n"
		"      --list            print every check and exit\n"
		"      --junit FILE      write JUnit XML (skips as <skipped message=...>)\n"
		"      --tap             print TAP 13 on stdout instead of the table\n"
		"      --json FILE       write every result with its evidence as JSON\n"
		"      --backend NAME    qemu (default) or libvirt\n"
		"      --uri URI         libvirt connection URI (default qemu:///system)\n"
		"      --qemu PATH       emulator binary (default: qemu-system-x86_64)\n"
		"      --accel MODE      auto (default), kvm or tcg\n"
		"      --image PATH      guest image (default: the built-in guest); it must run\n"
		"                        qemu-guest-agent and have the ocbench workloads\n"
		"      --allow-module-reload  EPT-003 may reload kvm_intel/kvm_amd\n"
		"      --state-dir DIR   knob journal directory (default: $OCBENCH_STATE_DIR\n"
		"                        or /var/lib/ocbench)\n"
		"      --no-wait         fail instead of waiting while another ocbench changes\n"
		"                        host knobs (it holds the host-wide lock)\n"
		"      --force           start although a killed run's knob journal exists\n"
		"      --workdir DIR     keep the guests' console and QEMU logs in DIR\n"
		"      --root DIR        host filesystem root (tests: a fake tree)\n"
		"  -q, --quiet           no progress lines on stderr\n"
		"  -h, --help\n"
		"\n"
		"Exit: 0 nothing failed (skips are fine), 1 a check failed, 2 usage or\n"
		"set-up error (including a check that could not be carried out).\n");
}

static void list_checks(void)
{
	const struct conform_suite *const *s = conform_suites();

	for (size_t i = 0; s[i]; i++)
		for (size_t k = 0; k < s[i]->n; k++)
			printf("%-9s %-8s %s\n", s[i]->checks[k].id, s[i]->name, s[i]->checks[k].title);
}

/* --check A,B --check C into ids[]. */
static int add_ids(char *arg, const char **ids, size_t *n)
{
	char *save = NULL;

	for (char *t = strtok_r(arg, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (*n + 1 >= MAX_IDS)
			return ocb_fail("more than %d --check ids", MAX_IDS - 1);
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
	const char *ids[MAX_IDS];
	size_t n_ids;
	int tap;
};

static int parse(int argc, char **argv, struct cli *cl, struct cmd_env *env)
{
	static const struct option longopts[] = {
		{ "suite", required_argument, NULL, 'S' }, { "check", required_argument, NULL, 'c' },
		{ "list", no_argument, NULL, 'l' }, { "junit", required_argument, NULL, 'j' },
		{ "tap", no_argument, NULL, 't' }, { "json", required_argument, NULL, 'J' },
		{ "backend", required_argument, NULL, 'b' }, { "uri", required_argument, NULL, 'U' }, { "qemu", required_argument, NULL, 'Q' },
		{ "accel", required_argument, NULL, 'a' }, { "image", required_argument, NULL, 'i' },
		{ "allow-module-reload", no_argument, NULL, 'M' }, { "state-dir", required_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' }, { "no-wait", no_argument, NULL, 'W' },
		{ "workdir", required_argument, NULL, 'w' },
		{ "root", required_argument, NULL, 'r' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int o;

	optind = 1;
	while ((o = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (o) {
		case 'S': cl->suites = optarg; break;
		case 'c':
			if (add_ids(optarg, cl->ids, &cl->n_ids) < 0)
				return -1;
			break;
		case 'l': list_checks(); return 1;
		case 'j': cl->junit = optarg; break;
		case 't': cl->tap = 1; break;
		case 'J': cl->json = optarg; break;
		case 'b': cl->backend = optarg; break;
		case 'U': cl->opt.uri = optarg; break;
		case 'Q': cl->opt.qemu_binary = optarg; break;
		case 'a':
			if (accel_parse(optarg, &cl->opt.accel) < 0)
				return -1;
			break;
		case 'i': cl->opt.image = optarg; break;
		case 'M': cl->opt.allow_module_reload = 1; break;
		case 's': env->state_dir = optarg; break;
		case 'f': env->force = 1; break;
		case 'W': hostlock_set_wait(0); break;
		case 'w': cl->opt.workdir = optarg; break;
		case 'r': env->root = optarg; break;
		case 'q': cl->opt.quiet = 1; break;
		case 'h': conform_usage(stdout); return 1;
		default: conform_usage(stderr); return ocb_fail("invalid option");
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
