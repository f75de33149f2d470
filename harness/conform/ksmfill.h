/* ksmfill.h — what the KSM checks (ksm.c) share: KSM set up for quick
 * merging, its counters and a guest's merged pages through the probe of
 * the context (conform.h: tests inject a fake), waiting for full scans,
 * and one ksmfill run in up to three guests watched from the host until
 * the guests that may merge gained what the fill made mergeable.
 *
 * A guest's figure is /proc/PID/ksm_merging_pages of its QEMU (the
 * global counters also count every other QEMU on the host).  Progress is
 * judged by full_scans, polled with a sleep: busy-polling the counters
 * slows KSM 5-6x.  When merging does not happen, the verdict is a FAIL
 * naming the cause host/ksm-diagnose.h found (conform/diagnose.h).
 */
#ifndef OCB_CONFORM_KSMFILL_H
#define OCB_CONFORM_KSMFILL_H

#include <jansson.h>
#include <stdint.h>

#include "conform/conform.h"
#include "guest/agent-cmds.h"

#define KSM_FILL_MAX 3
#define KSM_REL 0.05		/* stated floor: KSM within 5 % */

struct conform_ctx;
struct vm;

struct ksm_fill {
	size_t n;				/* guests running ksmfill */
	size_t n_merge;				/* the first n_merge must merge; the
						 * rest (mem-merge off) are watched */
	struct vm *vm[KSM_FILL_MAX];
	const char *tag[KSM_FILL_MAX];		/* workload tags */
	long long pid[KSM_FILL_MAX];
	int exited[KSM_FILL_MAX];		/* agent_poll said so: res holds it */
	struct agent_exec_result res[KSM_FILL_MAX];
	double base_mean[KSM_FILL_MAX], base_sd[KSM_FILL_MAX];	/* before the fill */
	double low[KSM_FILL_MAX];		/* lowest reading while filling */
	long long max_seen[KSM_FILL_MAX];	/* highest reading */
	double got[KSM_FILL_MAX][3];		/* at settling and 2 full scans on */
	double expected_approx;			/* pages, to know when to stop */
	/* 0: a gain within max(5 %, 3 sd) of the fill's mergeable pages
	 * (KSM-001's rule); else the fraction of them a gain must reach, also
	 * to stop waiting (KSM-003's control). */
	double min_frac;
	double settle_s;
	int settled;
	json_t *trace;				/* [t_s, guest..., full_scans] rows */
	json_t *docs[KSM_FILL_MAX];		/* ksmfill's results */
};

/* KSM on, fast, zero pages as ordinary pages, smart_scan off.  -1 with
 * r's ERROR set. */
int ksm_setup(struct conform_ctx *c, struct conform_result *r);
int ksm_counter(struct conform_ctx *c, const char *name, unsigned long long *v);
int ksm_merging(struct conform_ctx *c, struct vm *vm, long long *pages);
/* The probe's clock (conform.h), in ns. */
uint64_t ksm_now_ns(struct conform_ctx *c);
/* Wait until full_scans has advanced by n (the time it took into *s, may
 * be NULL): 0 done; 1 KSM is not scanning as set (no progress at all for
 * 10 s, or not n scans within the KSM timeout; the reason in the
 * message); -1 error. */
int ksm_wait_scans(struct conform_ctx *c, unsigned n, double *s);
/* FAIL r with "WHAT; diagnosis: ..." for the guests (ksm-diagnose.h). */
void ksm_fail_diagnosed(struct conform_ctx *c, struct conform_result *r, struct vm *const *vms, size_t n,
			const char *what);
/* Before measuring: 1 (and r FAILed) when the diagnosis already finds a
 * cause that keeps KSM from merging these guests at all (their RAM not
 * mergeable, hugetlb-backed, KSM not running): waiting would only show
 * it after the timeout.  0 when nothing stands in the way. */
int ksm_precheck(struct conform_ctx *c, struct conform_result *r, struct vm *const *vms, size_t n);

/* Baseline of every guest's merged pages, then ksmfill argv started in
 * each.  -1 with r's verdict set (ERROR, or FAIL when KSM does not scan). */
int ksm_fill_start(struct conform_ctx *c, struct conform_result *r, struct ksm_fill *f,
		   const char *const *argv);
/* Until the merging guests gained ~expected_approx pages each (min_frac
 * of it when set): 1 settled, 0 not (a fill ended first, or the KSM
 * timeout), -1 error. */
int ksm_fill_wait(struct conform_ctx *c, struct ksm_fill *f);
/* End every hold now (SIGTERM: ksmfill writes its results and exits);
 * -1 when the agent failed. */
int ksm_fill_stop(struct conform_ctx *c, struct ksm_fill *f);
/* Each guest's ksmfill results into f->docs; -1 (message) when one left
 * none. */
int ksm_fill_collect(struct conform_ctx *c, struct ksm_fill *f);
/* Each merging guest's gain against what its ksmfill made mergeable
 * (identical + zero pages), by the rule of min_frac, into ev's "guests";
 * gained[] (may be NULL) the gains.  Returns how many are off. */
int ksm_fill_judge(const struct ksm_fill *f, json_t *ev, double *gained);
/* ksmfill's identical + zero pages of doc: what KSM must merge. */
double ksm_fill_expected(json_t *doc);
void ksm_fill_release(struct ksm_fill *f);

#endif
