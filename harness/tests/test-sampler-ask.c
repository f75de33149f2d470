/* Unit tests: the sampler's pipelined per-guest sources (sampler/ask.c,
 * the balloon and balloonstats sources) over real QMP clients (vm/qmp.c)
 * talking to scripted peers (fake-peer.h).  The test answers for a peer
 * between ticks, from what the client sent, so each reply carries the id
 * of a question really asked.  What must hold: every guest is asked at
 * once and none is waited for; a guest that never answers has its
 * samples missed while the others' are kept (and the sampler's kept
 * share says so); a guest whose question is out is not asked again; a
 * late answer is dropped, never written as a sample of its round.  The
 * guest agent's questions (sampler/agent-job.c) over an agent in memory:
 * one that never answers costs its own guest's rows only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/error.h"
#include "fake-peer.h"
#include "fake-sysfs.h"
#include "results-out.h"
#include "results/results.h"
#include "sampler/sampler.h"
#include "util/units.h"
#include "vm/qmp.h"
#include "vm/vm.h"

#define T (2 * 1000000000ull)
#define PATH "/machine/peripheral/balloon0"
#define NG 3

/* ---- a VM whose QMP is a scripted peer ------------------------------------ */

struct pipe_vm {
	struct fake_peer fp;
	struct qmp *qmp;
	int64_t id[VM_QUERY_N];
	struct strbuf heard;	/* what the client sent so far */
	size_t answered;	/* heard.buf[0..answered) has been answered */
	/* its guest agent, in memory: the command out, and how many were sent */
	char agent_cmd[48];
	int agent_sent, agent_silent;
};

static struct pipe_vm *PV(struct vm *vm)
{
	return vm->priv;
}

static enum qmp_query kind(enum vm_query w)
{
	return w == VM_QUERY_BALLOON ? QMP_Q_BALLOON : QMP_Q_STATS;
}

static int p_send(struct vm *vm, enum vm_query w)
{
	return qmp_query_send(PV(vm)->qmp, kind(w), PATH, &PV(vm)->id[w], T);
}

static int p_answer(struct vm *vm, enum vm_query w, struct vm_answer *a)
{
	struct qmp_value v;
	int r = qmp_query_answer(PV(vm)->qmp, PV(vm)->id[w], kind(w), PATH, &v);

	if (r > 0) {
		a->actual = v.u64;
		a->stats = v.stats;
	}
	return r;
}

#define FREE_B64 "ICAgICAgICAgICAgICB0b3RhbCAgICAgICAgdXNlZCAgICAgICAgZnJlZSAgICAgIHNoYXJlZCAgYnVm" \
	"Zi9jYWNoZSAgIGF2YWlsYWJsZQpNZW06ICAgICAgICAgICAxOTY3ICAgICAgICAgIDIwICAgICAgICAxOTMwICAg" \
	"ICAgICAgICAwICAgICAgICAgIDE2ICAgICAgICAxOTIwClN3YXA6ICAgICAgICAgICAgIDAgICAgICAgICAgIDAg" \
	"ICAgICAgICAgIDAK"
#define MEMINFO_B64 "TWVtVG90YWw6ICAgICAgICAyMDE0MjA4IGtCCk1lbUF2YWlsYWJsZTogICAgMTk2NjA4MCBrQgo="

static int p_agent_send(struct vm *vm, const char *cmd, json_t *args)
{
	json_decref(args);
	snprintf(PV(vm)->agent_cmd, sizeof(PV(vm)->agent_cmd), "%s", cmd);
	PV(vm)->agent_sent++;
	return 1;
}

/* What qemu-ga answers: `free -m` run and exited, /proc/meminfo read. */
static int p_agent_take(struct vm *vm, json_t **ret)
{
	const char *cmd = PV(vm)->agent_cmd;

	if (!*cmd)
		return ocb_fail("no command out (test)");
	if (PV(vm)->agent_silent)
		return 0;
	if (!strcmp(cmd, "guest-exec"))
		*ret = json_pack("{s:i}", "pid", 42);
	else if (!strcmp(cmd, "guest-exec-status"))
		*ret = json_pack("{s:b, s:i, s:s}", "exited", 1, "exitcode", 0, "out-data", FREE_B64);
	else if (!strcmp(cmd, "guest-file-open"))
		*ret = json_integer(3);
	else if (!strcmp(cmd, "guest-file-read"))
		*ret = json_pack("{s:i, s:s, s:b}", "count", 55, "buf-b64", MEMINFO_B64, "eof", 1);
	else
		*ret = json_object();
	PV(vm)->agent_cmd[0] = '\0';
	return 1;
}

static pid_t p_pid(struct vm *vm)
{
	return -1;
}

static const struct vm_backend_ops pipe_ops = {
	.name = "pipe",
	.query_send = p_send,
	.query_answer = p_answer,
	.agent_send = p_agent_send,
	.agent_take = p_agent_take,
	.pid = p_pid,
};

/* What the client sent since the last look, added to p->heard. */
static void take_heard(struct pipe_vm *p)
{
	strbuf_adds(&p->heard, fake_peer_heard(&p->fp));
}

/* The peer answers every question it heard and has not answered: a
 * query-balloon with actual MiB, a qom-get with guest-stats. */
static void respond(struct pipe_vm *p, unsigned actual_mib)
{
	char *line, *nl;

	take_heard(p);
	for (line = p->heard.buf + p->answered; (nl = strchr(line, '\n')); line = nl + 1) {
		json_t *req = json_loadb(line, (size_t)(nl - line), 0, NULL);
		const char *cmd = json_string_value(json_object_get(req, "execute"));
		long long id = json_integer_value(json_object_get(req, "id"));
		char reply[256];

		assert_non_null(cmd);
		if (!strcmp(cmd, "query-balloon"))
			snprintf(reply, sizeof(reply), "{\"return\": {\"actual\": %llu}, \"id\": %lld}\n",
				 (unsigned long long)actual_mib * MiB, id);
		else
			snprintf(reply, sizeof(reply), "{\"return\": {\"stats\": {\"stat-free-memory\": "
				 "1048576}, \"last-update\": 1}, \"id\": %lld}\n", id);
		fake_peer_say(&p->fp, reply);
		json_decref(req);
	}
	p->answered = (size_t)(line - p->heard.buf);
}

/* The query-balloon questions the peer heard, answered or not. */
static int heard_balloon(struct pipe_vm *p)
{
	int n = 0;

	take_heard(p);
	for (const char *h = p->heard.buf; (h = strstr(h, "query-balloon")); h++)
		n++;
	return n;
}

/* ---- fixture ------------------------------------------------------------- */

struct fx {
	char root[64];
	char out[128];
	struct results_run res;
	struct vm vm[NG];
	struct pipe_vm pv[NG];
	struct vm *vms[NG];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	fake_root_new(f->root, sizeof(f->root));
	fake_host(f->root, FAKE_VM);
	snprintf(f->out, sizeof(f->out), "%s/out", f->root);
	assert_int_equal(results_open(&f->res, f->out, NULL), 0);
	for (int i = 0; i < NG; i++) {
		struct vm *vm = &f->vm[i];

		vm->ops = &pipe_ops;
		vm->priv = &f->pv[i];
		snprintf(vm->cfg.name, sizeof(vm->cfg.name), "guest-%d", i + 1);
		vm->cfg.memory_bytes = 1024 * MiB;
		vm->cfg.balloon = 1;
		vm->cfg.stats_period_s = 1;
		vm->boot_ns = 1;	/* booted */
		fake_peer_open(&f->pv[i].fp);
		f->pv[i].qmp = qmp_new(f->pv[i].fp.client, vm->cfg.name);
		f->vms[i] = vm;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	for (int i = 0; i < NG; i++) {
		qmp_free(f->pv[i].qmp);
		fake_peer_close(&f->pv[i].fp);
		strbuf_release(&f->pv[i].heard);
	}
	results_close(&f->res, "complete", NULL);
	remove_tree(f->root);
	free(f);
	return 0;
}

static char *read_out(struct fx *f, const char *name)
{
	return results_out_read(&f->res, f->out, name);
}

static int count(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* The balloon source's kept and missed samples of guest g, from the
 * sampler_ticks event. */
static void guest_ticks(struct fx *f, const char *g, long long *kept, long long *missed)
{
	char *ev = read_out(f, "events.jsonl"), *line = strstr(ev, "\"type\":\"sampler_ticks\"");
	json_t *doc, *o;

	assert_non_null(line);
	while (line > ev && line[-1] != '\n')
		line--;
	doc = json_loadb(line, strcspn(line, "\n"), 0, NULL);
	o = json_object_get(json_object_get(json_object_get(json_object_get(doc, "sources"), "balloon"),
					    "guests"), g);
	assert_non_null(o);
	*kept = json_integer_value(json_object_get(o, "kept"));
	*missed = json_integer_value(json_object_get(o, "missed"));
	json_decref(doc);
	free(ev);
}

/* Ticks the sampler (every ms) until guest g's QMP peer has heard n
 * query-balloon questions; after each tick the peers answer what they
 * heard, each with answer[i] MiB (NULL or 0: silent).  So an answer is
 * always in before the next tick, whatever the machine's load: pacing,
 * not timing, and bounded so that a broken sampler fails instead of
 * hanging. */
static void tick_until_asked(struct fx *f, struct sampler *s, int g, int n, const unsigned *answer)
{
	for (int k = 0; k < 20000 && heard_balloon(&f->pv[g]) < n; k++) {
		sampler_tick(s);
		for (int i = 0; answer && i < NG; i++)
			if (answer[i])
				respond(&f->pv[i], answer[i]);
		sleep_ns(1000000ull, NULL);
	}
	assert_int_equal(heard_balloon(&f->pv[g]), n);
}

/* ---- tests --------------------------------------------------------------- */

static double metric_value(struct fx *f, const char *name)
{
	return json_number_value(json_object_get(json_object_get(f->res.metrics, name), "value"));
}

/* guest-2 never answers: its samples are missed, not waited for; guest-1
 * and guest-3 answer every question and each answer is a sample; guest-2
 * is asked once (its question stays out); the sampler's kept share counts
 * guest-2's misses. */
static void test_silent_guest(void **state)
{
	static const unsigned answer[NG] = { 512, 0, 768 };
	struct fx *f = *state;
	struct sampler *s = sampler_new(&f->res, f->vms, NG, f->root, 10, NULL);
	long long kept, missed;
	char *csv;

	assert_non_null(s);
	tick_until_asked(f, s, 0, 7, answer);
	assert_int_equal(heard_balloon(&f->pv[1]), 1);
	sampler_summary(s);
	csv = read_out(f, "samples.csv");
	/* the 7th is still out; none of the 6 before is lost */
	assert_int_equal(count(csv, ",balloon,guest-1.actual_mib,512\n"), 6);
	assert_int_equal(count(csv, ",balloon,guest-3.actual_mib,768\n"), 6);
	assert_true(count(csv, ",balloonstats,guest-1.stat-free-memory_mib,1\n") >= 1);
	assert_int_equal(count(csv, "guest-2.actual_mib"), 0);
	assert_int_equal(count(csv, "guest-2.stat-"), 0);
	free(csv);
	guest_ticks(f, "guest-2", &kept, &missed);
	assert_int_equal(kept, 0);
	assert_true(missed >= 6);
	guest_ticks(f, "guest-1", &kept, &missed);
	assert_int_equal(kept, 6);
	print_message("kept %.1f %%\n", metric_value(f, "sampler_ticks_kept_pct"));
	assert_true(metric_value(f, "sampler_ticks_kept_pct") <= 100.0 * 2 / 3 + 1e-9);
	sampler_free(s);
}

/* An answer after its round ended is dropped (its round was counted
 * missed), and only then is the guest asked again; the next answer in
 * time is its next sample. */
static void test_late_answer_dropped(void **state)
{
	struct fx *f = *state;
	struct sampler *s = sampler_new(&f->res, f->vms, 1, f->root, 10, NULL);
	long long kept, missed;
	uint64_t t0;
	char *csv;

	tick_until_asked(f, s, 0, 1, NULL);		/* asked, no answer */
	for (t0 = mono_ns(); mono_ns() - t0 < 250000000ull; sleep_ns(1000000ull, NULL))
		sampler_tick(s);			/* rounds pass: missed */
	assert_int_equal(heard_balloon(&f->pv[0]), 1);	/* not asked again */
	respond(&f->pv[0], 111);			/* too late */
	tick_until_asked(f, s, 0, 2, NULL);		/* dropped; asked again */
	respond(&f->pv[0], 222);
	tick_until_asked(f, s, 0, 3, NULL);		/* in time: kept */
	sampler_summary(s);
	csv = read_out(f, "samples.csv");
	assert_int_equal(count(csv, "guest-1.actual_mib,111"), 0);
	assert_int_equal(count(csv, "guest-1.actual_mib,222"), 1);
	free(csv);
	guest_ticks(f, "guest-1", &kept, &missed);
	assert_int_equal(kept, 1);
	assert_true(missed >= 2);
	sampler_free(s);
}

/* The guest agent's questions are carried without waiting too: guest-2's
 * agent never answers; guest-1 and guest-3 get their `free -m` and
 * /proc/meminfo rows, guest-2 none, and it is not asked again while its
 * question is out. */
static void test_silent_agent(void **state)
{
	static const unsigned answer[NG] = { 512, 512, 512 };
	struct fx *f = *state;
	struct sampler *s = sampler_new(&f->res, f->vms, NG, f->root, 10, NULL);
	char *csv;

	f->pv[1].agent_silent = 1;
	tick_until_asked(f, s, 0, 13, answer);
	sampler_summary(s);
	csv = read_out(f, "samples.csv");
	assert_true(count(csv, ",guest,guest-1.free_total_mib,1967\n") >= 1);
	assert_true(count(csv, ",guest,guest-3.free_available_mib,1920\n") >= 1);
	assert_true(count(csv, ",guest,guest-1.MemTotal_mib,1967\n") >= 1);
	assert_int_equal(count(csv, ",guest,guest-2."), 0);
	assert_int_equal(count(csv, ",balloon,guest-2.actual_mib,512\n"), 12);	/* its QEMU answers */
	free(csv);
	assert_int_equal(f->pv[1].agent_sent, 1);
	assert_true(f->pv[0].agent_sent >= 5);	/* exec, status, open, read, close */
	sampler_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_silent_guest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_answer_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silent_agent, setup, teardown),
	};

	return cmocka_run_group_tests_name("sampler-ask", tests, NULL, NULL);
}
