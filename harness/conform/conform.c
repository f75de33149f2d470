/* conform.c — see conform.h: what every check reports through (results,
 * the report, tolerances).  Which checks run and how: suites.c. */
#include "conform/conform.h"
#include "util/printable.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *conform_status_name(enum conform_status s)
{
	switch (s) {
	case CONFORM_PASS: return "pass";
	case CONFORM_FAIL: return "fail";
	case CONFORM_SKIP: return "skip";
	default: return "error";
	}
}

/* ---- results ------------------------------------------------------------ */

__attribute__((format(printf, 3, 0)))
static void set_result(struct conform_result *r, enum conform_status st, const char *fmt, va_list ap)
{
	r->status = st;
	printable_vformat(r->reason, sizeof(r->reason), fmt, ap);	/* it may quote a guest */
}

void conform_pass(struct conform_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_result(r, CONFORM_PASS, fmt, ap);
	va_end(ap);
}

void conform_failf(struct conform_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_result(r, CONFORM_FAIL, fmt, ap);
	va_end(ap);
}

void conform_skip(struct conform_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_result(r, CONFORM_SKIP, fmt, ap);
	va_end(ap);
}

void conform_error(struct conform_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_result(r, CONFORM_ERROR, fmt, ap);
	va_end(ap);
}

void conform_summary(struct conform_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printable_vformat(r->summary, sizeof(r->summary), fmt, ap);
	va_end(ap);
}

void conform_report_release(struct conform_report *rep)
{
	for (size_t i = 0; i < rep->n; i++)
		json_decref(rep->r[i].evidence);
	free(rep->r);
	json_decref(rep->host);
	rep->host = NULL;
	rep->r = NULL;
	rep->n = rep->alloc = 0;
	json_decref(rep->hosts);
	rep->hosts = NULL;
}

void conform_report_counts(const struct conform_report *rep, size_t *pass, size_t *fail,
			   size_t *skip, size_t *error)
{
	size_t n[4] = { 0, 0, 0, 0 };

	for (size_t i = 0; i < rep->n; i++)
		n[rep->r[i].status]++;
	if (pass)
		*pass = n[CONFORM_PASS];
	if (fail)
		*fail = n[CONFORM_FAIL];
	if (skip)
		*skip = n[CONFORM_SKIP];
	if (error)
		*error = n[CONFORM_ERROR];
}

struct conform_result *conform_report_add(struct conform_report *rep, const struct conform_check *chk)
{
	struct conform_result *r;

	ALLOC_GROW(rep->r, rep->n + 1, rep->alloc);
	r = &rep->r[rep->n++];
	memset(r, 0, sizeof(*r));
	r->check = chk;
	/* A check that decides nothing is a bug, never a silent pass. */
	r->status = CONFORM_ERROR;
	snprintf(r->reason, sizeof(r->reason), "%s set no result (a bug in the check)", chk->id);
	r->evidence = json_object();
	return r;
}

/* ---- tolerances --------------------------------------------------------- */

void conform_stats(const double *v, size_t n, double *mean, double *stddev)
{
	double s = 0, ss = 0, m;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	m = n ? s / (double)n : 0;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - m) * (v[i] - m);
	*mean = m;
	*stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
}

double conform_tolerance(json_t *evidence, const char *key, double expected, double floor_rel,
			 double floor_abs, double k, double stddev, const char *unit)
{
	double rel = fabs(expected) * floor_rel, noise = k * stddev;
	double tol = rel > floor_abs ? rel : floor_abs;
	char rule[160];

	if (noise > tol)
		tol = noise;
	snprintf(rule, sizeof(rule), "max(%g %% of expected, %g %s, %g x measured stddev)",
		 floor_rel * 100.0, floor_abs, unit, k);
	json_object_set_new(evidence, key,
			    json_pack("{s:f, s:s, s:s, s:f, s:f, s:f, s:f}", "value", tol, "unit", unit,
				      "rule", rule, "floor_rel", floor_rel, "floor_abs", floor_abs, "k", k,
				      "stddev", stddev));
	return tol;
}
