/* plot-timeline.c — see plot-timeline.h. */
#include "reports/plot-timeline.h"
#include "reports/plot.h"
#include "reports/workload.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KSM_PAGE_MIB (4096.0 / 1048576.0)
#define PANEL_PX 230
#define STRIP_ROWS 6
#define STRIP_ROW_PX 17
/* the plot area of stacked panels (plot.c's margins), for label widths */
#define AREA_PX 716
#define CHAR_PX 5.6

struct tl {
	const struct rs_run *r;
	struct plot p;
	double tmax;
	struct strbuf marks;	/* the action lines every panel draws */
};

static void span(struct tl *t, double x)
{
	if (isfinite(x) && x > t->tmax)
		t->tmax = x;
}

static void measure(struct tl *t)
{
	const struct rs_run *r = t->r;

	for (size_t i = 0; i < r->nseries; i++)
		for (size_t k = 0; k < r->series[i].n; k++)
			span(t, r->series[i].pts[k].t_s);
	for (size_t i = 0; i < r->nevents; i++)
		span(t, r->events[i].t_s);
	for (size_t g = 0; g < r->nguests; g++) {
		const struct rs_guest *gr = &r->guests[g];

		for (size_t k = 0; k < gr->nfree; k++)
			span(t, gr->free[k].t_s);
		for (size_t l = 0; l < gr->w.nlat && isfinite(gr->start_s); l++)
			for (size_t k = 0; k < gr->w.lat[l].n; k++)
				span(t, gr->start_s + gr->w.lat[l].pts[k].t_s);
	}
	if (t->tmax <= 0)
		t->tmax = 1;
}

/* ---- guest groups ---- */

static void add_group(char ***g, size_t *n, size_t *alloc, const char *guest)
{
	char buf[128];
	size_t k;

	guest_group(guest, buf, sizeof(buf));
	for (k = 0; k < *n && strcmp((*g)[k], buf); k++)
		;
	if (k == *n) {
		ALLOC_GROW(*g, *n + 1, *alloc);
		(*g)[(*n)++] = xstrdup(buf);
	}
}

/* The groups of the run's guests in the scenario's order (run.json's
 * guests[]; guests/ is read in name order), *n of them. */
static char **groups(const struct rs_run *r, size_t *n)
{
	char **g = NULL;
	size_t alloc = 0, i;
	json_t *o;

	*n = 0;
	json_array_foreach(json_object_get(r->json, "guests"), i, o)
		if (json_string_value(json_object_get(o, "name")))
			add_group(&g, n, &alloc, json_string_value(json_object_get(o, "name")));
	for (i = 0; i < r->nguests; i++)
		add_group(&g, n, &alloc, r->guests[i].name);
	return g;
}

enum quantity { Q_BALLOON, Q_RSS, Q_USED, Q_AVAIL, NQ };
static const char *const q_name[NQ] = { "balloon actual", "QEMU RSS", "free -m used",
					"free -m available" };
static const char *const q_style[NQ] = { "lines lw 2", "lines lw 1.5 dt 2",
					 "linespoints lw 1 pt 7 ps 0.6", "linespoints lw 1 pt 6 ps 0.6" };

static const struct rs_series *guest_series(const struct rs_run *r, const char *guest,
					    enum quantity q)
{
	struct strbuf n = STRBUF_INIT;
	const struct rs_series *s;

	strbuf_addf(&n, "%s.%s", guest, q == Q_BALLOON ? "actual_mib" : "rss_mib");
	s = run_series(r, q == Q_BALLOON ? "balloon" : "qemu", n.buf);
	strbuf_release(&n);
	return s && s->n ? s : NULL;
}

/* A datablock of one guest's quantity; -1 when it has none. */
static int quantity_block(struct tl *t, const struct rs_guest *g, enum quantity q)
{
	const struct rs_series *s;
	int id;

	if (q == Q_USED || q == Q_AVAIL) {
		if (!g->nfree)
			return -1;
		id = plot_block_begin(&t->p);
		for (size_t k = 0; k < g->nfree; k++)
			strbuf_addf(&t->p.data, "%.6g %.6g\n", g->free[k].t_s,
				    q == Q_USED ? g->free[k].used : g->free[k].available);
		plot_block_end(&t->p);
		return id;
	}
	s = guest_series(t->r, g->name, q);
	if (!s)
		return -1;
	id = plot_block_begin(&t->p);
	for (size_t k = 0; k < s->n; k++)
		strbuf_addf(&t->p.data, "%.6g %.6g\n", s->pts[k].t_s, s->pts[k].v);
	plot_block_end(&t->p);
	return id;
}

static int in_group(const struct rs_guest *g, const char *group)
{
	char buf[128];

	return !strcmp(guest_group(g->name, buf, sizeof(buf)), group);
}

/* Each guest its own series when they fit, else one per quantity. */
static void group_panel(struct tl *t, const char *group)
{
	const struct rs_run *r = t->r;
	struct strbuf title = STRBUF_INIT;
	int has[NQ] = { 0 }, nq = 0, per_guest;
	size_t members = 0;
	struct plot_panel *pp;

	for (size_t g = 0; g < r->nguests; g++) {
		if (!in_group(&r->guests[g], group))
			continue;
		members++;
		for (int q = 0; q < NQ; q++)
			has[q] |= q >= Q_USED ? r->guests[g].nfree > 0
					      : guest_series(r, r->guests[g].name, (enum quantity)q) != NULL;
	}
	for (int q = 0; q < NQ; q++)
		nq += has[q];
	if (!nq)
		return;
	per_guest = members * (size_t)nq <= PLOT_MAX_SERIES;
	pp = plot_panel(&t->p, 1);
	strbuf_addf(&title, "guests %s-* (%zu): memory", group, members);
	gp_set_str(&pp->set, "set title", title.buf);
	strbuf_addf(&pp->set, "set ylabel 'MiB'\nset yrange [0:*]\nset xrange [0:%.6g]\n"
			      "set key outside right top vertical font ',9'\n%s",
		    t->tmax, t->marks.buf);
	for (int q = 0; q < NQ; q++) {
		int first = 1;

		for (size_t g = 0; g < r->nguests && has[q]; g++) {
			int id;

			if (!in_group(&r->guests[g], group) || (id = quantity_block(t, &r->guests[g], q)) < 0)
				continue;
			strbuf_reset(&title);
			if (per_guest)
				strbuf_addf(&title, "%s %s", r->guests[g].name, q_name[q]);
			else
				strbuf_addf(&title, "%s (every %s-*)", q_name[q], group);
			if (per_guest || first)
				plot_series(&t->p, id, "1:2", q_style[q], title.buf);
			else
				plot_series_more(&t->p, id, "1:2", q_style[q]);
			first = 0;
		}
	}
	strbuf_release(&title);
}

/* ---- the host ---- */

static void host_series(struct tl *t, const struct rs_series *s, double scale, const char *style,
			const char *title, const char *axes)
{
	int id = plot_block_begin(&t->p);
	struct strbuf using = STRBUF_INIT;

	for (size_t k = 0; k < s->n; k++)
		strbuf_addf(&t->p.data, "%.6g %.6g\n", s->pts[k].t_s, s->pts[k].v * scale);
	plot_block_end(&t->p);
	strbuf_addf(&using, "1:2%s", axes);
	plot_series(&t->p, id, using.buf, style, title);
	strbuf_release(&using);
}

/* SwapTotal - SwapFree; nothing when the host has no swap. */
static void swap_series(struct tl *t)
{
	const struct rs_series *total = run_series(t->r, "host", "SwapTotal_mib");
	const struct rs_series *fr = run_series(t->r, "host", "SwapFree_mib");
	size_t j = 0;
	double any = 0;
	int id;

	if (!total || !fr || !total->n || !fr->n)
		return;
	for (size_t i = 0; i < total->n; i++)
		any = fmax(any, total->pts[i].v);
	if (any <= 0)
		return;
	id = plot_block_begin(&t->p);
	for (size_t i = 0; i < fr->n; i++) {
		/* SwapFree against the latest SwapTotal at or before it */
		while (j + 1 < total->n && total->pts[j + 1].t_s <= fr->pts[i].t_s)
			j++;
		strbuf_addf(&t->p.data, "%.6g %.6g\n", fr->pts[i].t_s, total->pts[j].v - fr->pts[i].v);
	}
	plot_block_end(&t->p);
	plot_series(&t->p, id, "1:2", "lines lw 1.5 dt 3", "host swap used");
}

static void cap_line(struct tl *t, double cap)
{
	struct strbuf title = STRBUF_INIT;
	int id = plot_block_begin(&t->p);

	strbuf_addf(&t->p.data, "0 %.6g\n%.6g %.6g\n", cap, t->tmax, cap);
	plot_block_end(&t->p);
	strbuf_addf(&title, "cap (host_memory_limit) %.0f MiB", cap);
	plot_series(&t->p, id, "1:2", "lines lw 2 dt 2", title.buf);
	strbuf_release(&title);
}

static void host_panel(struct tl *t)
{
	const struct rs_run *r = t->r;
	json_t *lim = json_object_get(json_object_get(r->json, "host_memory_limit"), "limit_mib");
	const struct rs_series *cg = run_series(r, "cgroup", "memory_current_mib");
	const struct rs_series *avail = run_series(r, "host", "MemAvailable_mib");
	const struct rs_series *ksm = run_series(r, "ksm", "pages_sharing");
	int capped = json_is_number(lim) && cg && cg->n;
	struct plot_panel *pp = plot_panel(&t->p, 1);

	gp_set_str(&pp->set, "set title", capped ? "host: the run's cgroup (every QEMU of the run) "
						   "against its cap" : "host");
	strbuf_addf(&pp->set, "set ylabel 'MiB'\nset yrange [0:*]\nset xrange [0:%.6g]\n"
			      "set key outside right top vertical font ',9'\n%s",
		    t->tmax, t->marks.buf);
	if (capped) {
		host_series(t, cg, 1, "lines lw 2", "cgroup memory usage", "");
		cap_line(t, json_number_value(lim));
	} else if (avail && avail->n) {
		/* the whole machine's: its own axis, or it flattens the rest */
		strbuf_adds(&pp->set, "set y2label 'host MiB'\nset y2tics\nset ytics nomirror\n"
				      "set y2range [0:*]\n"
				      /* right of the y2 axis's tics and label */
				      "set key at screen 0.8, graph 1 left top vertical font ',9'\n");
		host_series(t, avail, 1, "lines lw 2 dt 4", "host MemAvailable (right)", " axes x1y2");
	}
	swap_series(t);
	if (ksm && ksm->n)
		host_series(t, ksm, KSM_PAGE_MIB, "lines lw 2", "KSM saved (pages_sharing x 4 KiB)", "");
}

/* ---- latency over time ---- */

static void latency_panel(struct tl *t)
{
	const struct rs_run *r = t->r;
	struct strbuf title = STRBUF_INIT;
	struct plot_panel *pp = NULL;
	double lo = INFINITY, hi = 0;

	for (size_t g = 0; g < r->nguests; g++) {
		const struct rs_guest *gr = &r->guests[g];

		for (size_t l = 0; l < gr->w.nlat && isfinite(gr->start_s); l++) {
			const struct rs_latseries *s = &gr->w.lat[l];
			int id;

			if (!s->n)
				continue;
			if (!pp)
				pp = plot_panel(&t->p, 1);
			id = plot_block_begin(&t->p);
			for (size_t k = 0; k < s->n; k++) {
				strbuf_addf(&t->p.data, "%.6g %.6g\n", gr->start_s + s->pts[k].t_s, s->pts[k].v);
				lo = s->pts[k].v > 0 ? fmin(lo, s->pts[k].v) : lo;
				hi = fmax(hi, s->pts[k].v);
			}
			plot_block_end(&t->p);
			strbuf_reset(&title);
			strbuf_addf(&title, "%s %s %s", gr->name, gr->w.program,
				    strchr(s->name, '.') ? strchr(s->name, '.') + 1 : s->name);
			plot_series(&t->p, id, "1:2", "linespoints lw 1.5 pt 7 ps 0.4", title.buf);
		}
	}
	if (pp) {
		gp_set_str(&pp->set, "set title", pp->dropped ? "workload latency over time (first 8 series)"
							      : "workload latency over time");
		strbuf_addf(&pp->set, "set ylabel 'ns'\nset xrange [0:%.6g]\n"
				      "set key outside right top vertical font ',9'\n%s%s",
			    t->tmax, hi > 20 * lo ? "set logscale y\n" : "set yrange [0:*]\n", t->marks.buf);
	}
	strbuf_release(&title);
}

/* ---- the actions ---- */

static int marked(const struct rs_event *e)
{
	if (!strcmp(e->type, "error"))
		return 1;
	return !strcmp(e->type, "action") && strncmp(e->label, "free ", 5);
}

/* Labels in rows: each in the first row where it does not overlap the
 * label before it; a label that would run past the end of the axis ends
 * at its time instead. */
static void strip_label(struct tl *t, const struct rs_event *e, double end[STRIP_ROWS], int *rows,
			struct strbuf *lab, int n)
{
	double w = (strlen(e->label) * CHAR_PX + 12) / AREA_PX * t->tmax;
	int right = e->t_s + w > t->tmax, row;
	double from = right ? e->t_s - w : e->t_s;

	for (row = 0; row < STRIP_ROWS - 1 && end[row] > from; row++)
		;
	end[row] = right ? e->t_s : e->t_s + w;
	*rows = row + 1 > *rows ? row + 1 : *rows;
	strbuf_addf(&t->p.data, "%.6g %d\n", e->t_s, STRIP_ROWS - row);
	strbuf_addf(lab, "set label %d ", n);
	gp_quote(lab, e->label);
	strbuf_addf(lab, " at %.6g, %d %s offset %s,0 font ',8' tc rgb '%s'\n", e->t_s, STRIP_ROWS - row,
		    right ? "right" : "left", right ? "-0.5" : "0.5",
		    !strcmp(e->type, "error") ? "#cc0000" : "#333333");
}

static void strip_panel(struct tl *t)
{
	double end[STRIP_ROWS];
	int rows = 0, id = -1, n = 0;
	struct plot_panel *pp;
	struct strbuf lab = STRBUF_INIT;

	for (int i = 0; i < STRIP_ROWS; i++)
		end[i] = -INFINITY;
	for (size_t i = 0; i < t->r->nevents; i++) {
		if (!marked(&t->r->events[i]))
			continue;
		if (id < 0)
			id = plot_block_begin(&t->p);
		strip_label(t, &t->r->events[i], end, &rows, &lab, ++n);
	}
	if (id < 0)
		goto out;
	plot_block_end(&t->p);
	pp = plot_panel(&t->p, (double)(rows * STRIP_ROW_PX + 60) / PANEL_PX);
	gp_set_str(&pp->set, "set title", "timeline actions (errors in red)");
	strbuf_addf(&pp->set, "unset ytics\nunset grid\nset border 1\nset xtics nomirror\n"
			      "set xrange [0:%.6g]\nset yrange [%.1f:%.1f]\nunset key\n%s",
		    t->tmax, STRIP_ROWS - rows + 0.5, STRIP_ROWS + 0.6, lab.buf);
	plot_extra(&t->p, id, "1:2", "impulses lw 1", "#777777");
	plot_extra(&t->p, id, "1:2", "points pt 7 ps 0.6", "#333333");
out:
	strbuf_release(&lab);
}

static void action_lines(struct tl *t)
{
	for (size_t i = 0; i < t->r->nevents; i++)
		if (marked(&t->r->events[i]))
			strbuf_addf(&t->marks, "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead "
					       "dt 3 lw 1 lc rgb '#aaaaaa' back\n",
				    t->r->events[i].t_s, t->r->events[i].t_s);
}

int plot_timeline(const char *dir, const char *name, const struct rs_run *r, const char *title)
{
	struct tl t;
	size_t ng;
	char **g = groups(r, &ng);
	int rc;

	memset(&t, 0, sizeof(t));
	t.r = r;
	plot_init(&t.p, title, 1, PANEL_PX);
	measure(&t);
	action_lines(&t);
	for (size_t i = 0; i < ng; i++)
		group_panel(&t, g[i]);
	host_panel(&t);
	latency_panel(&t);
	strip_panel(&t);
	/* the time axis is named once, under the last panel */
	for (size_t i = t.p.npanels; i-- > 0;)
		if (t.p.panels[i].nitems) {
			strbuf_adds(&t.p.panels[i].set, "set xlabel 'time since the run started (s)'\n");
			break;
		}
	rc = plot_write(&t.p, dir, name);
	for (size_t i = 0; i < ng; i++)
		free(g[i]);
	free(g);
	plot_release(&t.p);
	strbuf_release(&t.marks);
	return rc;
}

int plot_ksm(const char *dir, const char *name, const struct result_set *rs, const struct cells *cs)
{
	struct plot p;
	struct plot_panel *pp;
	int rc;

	plot_init(&p, "KSM merged memory over time, per matrix cell", 1, 320);
	pp = plot_panel(&p, 1);
	for (size_t c = 0; c < cs->n; c++) {
		const struct rs_run *run = &rs->runs[cs->c[c].first];
		const struct rs_series *s = run_series(run, "ksm", "pages_sharing");
		struct strbuf t = STRBUF_INIT;
		int id;

		if (!s || !s->n)
			continue;
		id = plot_block_begin(&p);
		for (size_t k = 0; k < s->n; k++)
			strbuf_addf(&p.data, "%.6g %.6g\n", s->pts[k].t_s, s->pts[k].v * KSM_PAGE_MIB);
		plot_block_end(&p);
		strbuf_addf(&t, "%s (repeat %d)", cs->c[c].label, run->repeat);
		plot_series(&p, id, "1:2", "lines lw 2", t.buf);
		strbuf_release(&t);
	}
	gp_set_str(&pp->set, "set title", pp->dropped ? "pages_sharing x 4 KiB (first 8 cells)"
						      : "pages_sharing x 4 KiB");
	strbuf_adds(&pp->set, "set xlabel 'time since the run started (s)'\nset ylabel 'MiB'\n"
			      "set yrange [0:*]\nset key outside right top vertical font ',9'\n");
	rc = pp->nseries >= 2 ? plot_write(&p, dir, name) : 0;	/* one cell: the timeline has it */
	plot_release(&p);
	return rc;
}
