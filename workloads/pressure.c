/* pressure — an allocation profile over time, with access latency sampled
 * every interval: how latency behaves while memory grows, is held and is
 * given back under balloon or swap pressure.
 *
 * The memory work runs in a child process that shares its results page
 * with the parent.  When the kernel OOM-kills the child (it volunteers via
 * oom_score_adj), the parent still has every sample taken up to then and
 * writes them with status "oom-killed".  A refused mmap (ENOMEM) is
 * counted and the ramp waits at the level reached; neither ever hangs.
 */
#include "util/error.h"
#include "histogram.h"
#include "meminfo.h"
#include "profile.h"
#include "rng.h"
#include "stop.h"
#include "timer.h"
#include "util/units.h"
#include "wljson.h"
#include "wlopt.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK (2 * MiB)
#define MAX_ROWS 65536

static struct {
	const char *profile;
	uint64_t interval_ns;
	uint64_t loads;
} o = { "ramp:5s,hold:10s,release:5s", 100000000u, 20000 };

static int set_interval(void *field, const char *arg)
{
	return parse_duration_ns(arg, 0, field);
}

static const struct wlopt pressure_opts[] = {
	{ "profile", "STEPS", "STEP:DUR[:TARGET],... with STEP ramp|hold|release, TARGET a size or N%",
	  wlopt_set_string, &o.profile },
	{ "interval", "DUR", "sample access latency this often (100ms)", set_interval, &o.interval_ns },
	{ "loads", "N", "dependent random loads per latency sample (20000; short samples after an\n"
	  "                           idle interval see cold caches and TLB)", wlopt_set_count, &o.loads },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct wl_program prog = {
	.name = "pressure",
	.summary = "Allocate and free memory along a profile (ramp to SIZE, hold, release, ...)\n"
		   "while sampling random-access latency every interval: a time series.",
	.notes = "--iterations N repeats the profile N times; --duration repeats it until DUR.\n"
		 "Ramps default to SIZE, releases to 0.  Memory is allocated in 2 MiB chunks.\n"
		 "Status in the JSON: ok, oom-killed (the worker was killed by SIGKILL), error.",
	.default_size = 256 * MiB,
	.default_run = "--profile ramp:5s,hold:10s,release:5s --iterations 1",
	.opts = pressure_opts,
};

struct row {
	double t_s, allocated_mib, ns_per_access;
	double step;	/* index into the profile */
};

/* The child's results, in a MAP_SHARED page that outlives it. */
struct shared {
	volatile sig_atomic_t stop;	/* parent -> child */
	struct hist access;		/* ps per load, one value per sample */
	struct hist alloc_first;	/* ns per 2 MiB chunk, never used before */
	struct hist alloc_again;	/* ns per 2 MiB chunk, released earlier */
	uint64_t nrows, enomem, peak_bytes;
	char error[512];
	struct row rows[MAX_ROWS];
};

struct worker {
	struct shared *sh;
	const struct wl_common *c;
	struct profile prof;
	char **chunk;		/* nchunks slots, NULL when not allocated */
	uint64_t nchunks, have, ever;	/* ever: highest chunk count reached */
	struct rng rng;
	uint64_t start, next_sample;
	int step;
};

static int stopping(const struct worker *w)
{
	return w->sh->stop || wl_stop;
}

/* Populate one more chunk; -1 when the kernel refuses the mapping. */
static int grow(struct worker *w)
{
	char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0;

	if (p == MAP_FAILED) {
		w->sh->enomem++;
		return -1;
	}
	t0 = timer_ns();
	for (size_t off = 0; off < CHUNK; off += 4096)
		p[off] = 1;
	hist_record(w->have < w->ever ? &w->sh->alloc_again : &w->sh->alloc_first, timer_ns() - t0);
	w->chunk[w->have++] = p;
	if (w->have > w->ever)
		w->ever = w->have;
	if (w->have * CHUNK > w->sh->peak_bytes)
		w->sh->peak_bytes = w->have * CHUNK;
	return 0;
}

static void shrink(struct worker *w)
{
	munmap(w->chunk[--w->have], CHUNK);
	w->chunk[w->have] = NULL;
}

/* o.loads dependent random loads over what is allocated: the next
 * address depends on the value loaded, so the loads cannot overlap. */
static double sample_latency(struct worker *w)
{
	uint64_t lines = w->have * (CHUNK / 64), v = 0, t0, ps;

	if (!lines)
		return NAN;
	t0 = timer_ns();
	for (uint64_t i = 0; i < o.loads; i++) {
		/* lines is even, so flipping bit 0 stays in range; v is 0 or 1
		 * but only the CPU knows it, which serialises the loads. */
		uint64_t l = rng_below(&w->rng, lines) ^ v;

		v = *(volatile uint64_t *)(w->chunk[l / (CHUNK / 64)] + l % (CHUNK / 64) * 64) & 1;
	}
	ps = (timer_ns() - t0) * 1000 / o.loads;
	hist_record(&w->sh->access, ps);
	return (double)ps / 1000.0;
}

static void maybe_sample(struct worker *w)
{
	uint64_t now = timer_ns();
	struct row *r;

	if (now < w->next_sample || w->sh->nrows >= MAX_ROWS)
		return;
	r = &w->sh->rows[w->sh->nrows];
	r->t_s = (double)(now - w->start) / 1e9;
	r->allocated_mib = (double)(w->have * CHUNK) / MiB;
	r->ns_per_access = sample_latency(w);
	r->step = w->step;
	w->sh->nrows++;
	w->next_sample = timer_ns() + o.interval_ns;
}

static int out_of_time(const struct worker *w)
{
	return w->c->duration_ns && timer_ns() - w->start >= w->c->duration_ns;
}

/* Sleep until the next sample, or 1 ms while a ramp or release is still
 * moving, so the allocation follows the line smoothly. */
static void nap(struct worker *w, int moving)
{
	uint64_t now = timer_ns(), ns = w->next_sample > now ? w->next_sample - now : 0;

	if (moving && ns > 1000000u)
		ns = 1000000u;
	timer_sleep_ns(ns, &w->sh->stop);
}

/* Move the allocation linearly from its level at the step's start to the
 * step's target, sampling on the way. */
static void run_step(struct worker *w, const struct profile_step *st)
{
	uint64_t t0 = timer_ns(), from = w->have;
	uint64_t to = st->kind == STEP_HOLD ? from : (st->target + CHUNK - 1) / CHUNK;
	int refused = 0;

	for (;;) {
		uint64_t el = timer_ns() - t0;
		double f = st->dur_ns ? (double)el / (double)st->dur_ns : 1.0;
		uint64_t want = f >= 1 ? to : (uint64_t)((double)from + ((double)to - (double)from) * f);

		/* At least one chunk per pass, so a sample that takes longer
		 * than the interval cannot starve the profile. */
		for (int n = 0; !stopping(w) && !refused && w->have < want &&
				(n == 0 || timer_ns() < w->next_sample); n++)
			refused = grow(w) < 0;
		for (int n = 0; w->have > want && (n == 0 || timer_ns() < w->next_sample); n++)
			shrink(w);
		maybe_sample(w);
		if (stopping(w) || out_of_time(w) || (el >= st->dur_ns && (w->have == want || refused)))
			return;
		if (w->have == want || refused)
			nap(w, st->kind != STEP_HOLD && !refused && w->have != to);
	}
}

static int work(struct worker *w)
{
	uint64_t rounds = 0;

	w->chunk = calloc(w->nchunks, sizeof(*w->chunk));
	if (!w->chunk)
		return ocb_fail("cannot allocate the table of %" PRIu64 " chunks", w->nchunks);
	w->start = w->next_sample = timer_ns();
	while (!stopping(w) && !out_of_time(w)) {
		for (w->step = 0; w->step < w->prof.n && !stopping(w) && !out_of_time(w); w->step++)
			run_step(w, &w->prof.step[w->step]);
		if (!w->c->duration_ns && ++rounds >= (w->c->iterations ? w->c->iterations : 1))
			break;
	}
	while (w->have)
		shrink(w);
	free(w->chunk);
	return 0;
}

static void child_main(struct worker *w)
{
	meminfo_prefer_oom_kill();
	if (work(w) < 0) {
		snprintf(w->sh->error, sizeof(w->sh->error), "%s", ocb_errmsg());
		_exit(2);
	}
	_exit(0);
}

/* Wait for the worker; a stop request is passed on through the shared
 * page.  Returns the status word for the JSON. */
static const char *wait_worker(pid_t pid, struct shared *sh, char *why, size_t len)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, len, "waitpid on the worker %d failed: %s", (int)pid, strerror(errno));
			return "error";
		}
		if (wl_stop)
			sh->stop = 1;
	}
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
		snprintf(why, len, "the worker was killed by SIGKILL (the OOM killer, or kill -9)");
		return "oom-killed";
	}
	if (WIFSIGNALED(st)) {
		snprintf(why, len, "the worker died of signal %d", WTERMSIG(st));
		return "error";
	}
	if (WEXITSTATUS(st)) {
		snprintf(why, len, "%s", sh->error[0] ? sh->error : "the worker failed");
		return "error";
	}
	why[0] = '\0';
	return "ok";
}

static void report(json_t *root, const struct shared *sh, const char *status, const char *why)
{
	static const char *const cols[] = { "t_s", "allocated_mib", "ns_per_access", "step", NULL };
	static const char *const units[] = { "s", "MiB", "ns", "index", NULL };
	json_t *rows = wljson_series(root, "latency", cols, units);

	for (uint64_t i = 0; i < sh->nrows; i++)
		wljson_series_row(rows, 4, &sh->rows[i].t_s);
	json_object_set_new(root, "series_truncated", json_boolean(sh->nrows >= MAX_ROWS));
	json_object_set_new(root, "enomem_events", json_integer((json_int_t)sh->enomem));
	json_object_set_new(root, "peak_bytes", json_integer((json_int_t)sh->peak_bytes));
	json_object_set_new(root, "status_reason", why[0] ? json_string(why) : json_null());
	wljson_hist(root, "access", &sh->access, "ps", 1000, "ns", "resident",
		    "mean time per dependent random load, one value per sample");
	wljson_hist(root, "alloc_first", &sh->alloc_first, "ns", 1, "ns", "cold",
		    "population of a 2 MiB chunk never used before in this run (4K faults)");
	wljson_hist(root, "alloc_again", &sh->alloc_again, "ns", 1, "ns", "warm",
		    "re-population of a 2 MiB chunk after a release in this run (warm unless reclaimed meanwhile)");
	wljson_metric(root, "access_ns_p50", (double)hist_percentile(&sh->access, 50) / 1000, "ns", "lower");
	wljson_metric(root, "access_ns_p99", (double)hist_percentile(&sh->access, 99) / 1000, "ns", "lower");
	wljson_metric(root, "alloc_2m_p50", (double)hist_percentile(&sh->alloc_first, 50), "ns", "lower");
	printf("pressure: %s; peak %" PRIu64 " MiB, %" PRIu64 " samples, %" PRIu64 " ENOMEM\n", status,
	       sh->peak_bytes >> 20, sh->nrows, sh->enomem);
	printf("  access p50 %.1f ns  p99 %.1f ns;  2 MiB populate p50 %.0f us (first) %.0f us (again)\n",
	       (double)hist_percentile(&sh->access, 50) / 1000, (double)hist_percentile(&sh->access, 99) / 1000,
	       (double)hist_percentile(&sh->alloc_first, 50) / 1000,
	       (double)hist_percentile(&sh->alloc_again, 50) / 1000);
	if (why[0])
		printf("  %s\n", why);
}

static struct shared *shared_new(void)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (sh == MAP_FAILED)
		return NULL;
	hist_init(&sh->access);
	hist_init(&sh->alloc_first);
	hist_init(&sh->alloc_again);
	return sh;
}

int main(int argc, char **argv)
{
	static struct worker w;
	struct wl_common c;
	const char *status;
	char why[600];
	json_t *root;
	pid_t pid;
	int rc;

	if ((rc = wl_parse(&prog, argc, argv, &c)) != WLOPT_OK)
		return rc == WLOPT_HELP ? 0 : 2;
	if (profile_parse(o.profile, c.size, &w.prof) < 0 || meminfo_check_fits(c.size) < 0) {
		fprintf(stderr, "pressure: %s\n", ocb_errmsg());
		return 2;
	}
	stop_install();
	w.sh = shared_new();
	if (!w.sh) {
		fprintf(stderr, "pressure: cannot map %zu bytes of shared results: %s\n", sizeof(*w.sh),
			strerror(errno));
		return 2;
	}
	w.c = &c;
	w.nchunks = (c.size + CHUNK - 1) / CHUNK;
	w.rng.s = c.seed;
	root = wljson_new(prog.name, &c, timer_overhead_ns());
	json_object_set_new(wljson_options(root), "profile", json_string(o.profile));
	json_object_set_new(wljson_options(root), "interval_ns", json_integer((json_int_t)o.interval_ns));
	json_object_set_new(wljson_options(root), "loads", json_integer((json_int_t)o.loads));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "pressure: fork of the worker failed: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0)
		child_main(&w);
	status = wait_worker(pid, w.sh, why, sizeof(why));
	report(root, w.sh, status, why);
	munmap(w.sh, sizeof(*w.sh));
	if (wljson_finish(root, status, c.json_path) < 0) {
		fprintf(stderr, "pressure: %s\n", ocb_errmsg());
		return 2;
	}
	return strcmp(status, "error") ? 0 : 2;
}
