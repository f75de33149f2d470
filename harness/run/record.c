/* record.c — see record.h. */
#include "run/record.h"
#include "host/cgroup.h"
#include "host/libvirt-host.h"
#include "knobs/knobs.h"
#include "knobs/route.h"
#include "results/image-id.h"
#include "run/host.h"
#include "run/loop.h"
#include "sampler/sampler.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/libvirt-conn.h"
#include "util/xalloc.h"
#include "util/units.h"
#include "vm/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CGROUP_RMDIR_NS (5 * 1000000000ull)	/* host_memory_limit */

/* run.json "hosts": the fingerprint of each remote libvirt host the
 * guests run on, from that host's daemon, keyed by URI. */
static json_t *remote_fingerprints(struct run_ctx *c)
{
	const char **uris = xcalloc(c->n + 1, sizeof(*uris));
	json_t *hosts = json_object();
	int local;
	size_t n = run_remote_uris(c, uris, &local);

	for (size_t i = 0; i < n; i++) {
		virConnectPtr conn = lv_open(uris[i]);

		if (!conn) {
			json_object_set_new(hosts, uris[i], json_pack("{s:s, s:s}", "uri", uris[i], "error",
								      ocb_errmsg()));
			continue;
		}
		json_object_set_new(hosts, uris[i], lvhost_fingerprint(conn, uris[i]));
		virConnectClose(conn);
	}
	free(uris);
	return hosts;
}

json_t *run_fields(struct run_ctx *c, const struct accel_choice *accel)
{
	const struct scenario *s = c->s;
	json_t *matrix = json_object(), *f;
	char started[64], id[96];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (size_t i = 0; i < s->n_axes; i++)
		json_object_set_new(matrix, s->axes[i].axis, json_string(s->axes[i].value));
	snprintf(id, sizeof(id), "%s-%ld-%zu", s->name, (long)now, s->run_index);
	f = json_pack("{s:s, s:s, s:s, s:o, s:i, s:i, s:b, s:{s:s, s:s}, s:s}", "scenario", s->name,
		      "run_id", id, "started", started, "matrix", matrix, "repeat",
		      (int)(s->repeat_index ? s->repeat_index - 1 : 0), "run_index", (int)s->run_index,
		      "quick", s->quick, "accel", "name", accel_name(accel->kind), "reason", accel->reason,
		      "backend", c->opt->backend);
	json_object_set_new(f, "scenario_file", json_string(s->file));
	/* what the report shows first travels with the results, so a report
	 * made elsewhere does not need the scenario file */
	if (s->description)
		json_object_set_new(f, "description", json_string(s->description));
	if (s->report_headline)
		json_object_set_new(f, "report", json_pack("{s:s}", "headline", s->report_headline));
	/* compare: runs never recorded (killed before run.json) are missing
	 * evidence, counted against what the invocation asked for */
	json_object_set_new(f, "runs_requested", json_integer((json_int_t)(s->n_runs ? s->n_runs : 1)));
	/* The fingerprint compare uses to refuse apples-to-oranges. */
	json_object_set_new(f, "host", knob_host_fingerprint(c->opt->root));
	/* ... and each remote host's, as its libvirt daemon reports it */
	json_object_set_new(f, "hosts", remote_fingerprints(c));
	/* ... and the guest image by content, not by path */
	json_object_set_new(f, "guest_image", json_object());
	for (size_t i = 0; i < c->n; i++)
		if (vm_can(c->gs[i].vm, VM_CAP_GUEST_IMAGE))
			json_object_set_new(json_object_get(f, "guest_image"), c->gs[i].g->name,
					    results_image_identity(c->gs[i].vm->cfg.kernel, c->gs[i].vm->cfg.initrd,
								   c->gs[i].vm->cfg.append, c->gs[i].vm->cfg.disk));
	return f;
}

/* The fingerprint of the host a guest ran on: "host", or its remote
 * host's in "hosts". */
static json_t *guest_host(struct run_ctx *c, const struct vm *vm)
{
	const char *u = vm_host_uri(vm);
	json_t *h = NULL;

	if (knob_route_is_remote(u != NULL, u))
		h = json_object_get(json_object_get(c->res.run, "hosts"), u);
	return h ? h : json_object_get(c->res.run, "host");
}

void run_record_guests(struct run_ctx *c)
{
	json_t *guests = json_array();

	for (size_t i = 0; i < c->n; i++) {
		struct guest_state *g = &c->gs[i];
		const struct scenario_guest_spec *sp = g->g->spec;
		json_t *o = json_pack("{s:s, s:I, s:i, s:s, s:s, s:b, s:s, s:s, s:s}", "name", g->g->name,
				      "memory_mib", (json_int_t)(sp->memory_bytes / MiB), "vcpus", (int)sp->vcpus,
				      "balloon", scenario_balloon_name(sp->balloon), "backing",
				      scenario_backing_name(sp->backing), "mem_merge", sp->mem_merge,
				      "kernel", g->vm->cfg.kernel, "initrd", g->vm->cfg.initrd, "append",
				      g->vm->cfg.append);

		if (g->vm->cfg.disk[0])
			json_object_set_new(o, "disk", json_string(g->vm->cfg.disk));
		if (sp->workload)
			json_object_set_new(o, "workload", json_string(sp->workload));
		json_object_set_new(o, "boot_s", json_real(ns_to_s(g->vm->boot_ns)));
		json_object_set_new(o, "balloon_clamped", json_boolean(g->clamped));
		json_object_set_new(o, "balloon_tolerance_mib", json_real(bytes_to_mib(g->tolerance)));
		json_object_set_new(o, "events_dropped", json_integer((json_int_t)g->events.dropped));
		results_event_cap_close(&c->res, &g->events, g->g->name);
		g->vm->ops->describe(g->vm, o);
		json_array_append_new(guests, o);
		if (g->vm->backend_version[0])
			json_object_set_new(guest_host(c, g->vm), "qemu_version",
					    json_string(g->vm->backend_version));
	}
	json_object_set_new(c->res.run, "guests", guests);
}

void run_summarize(struct run_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct guest_state *g = &c->gs[i];
		char line[512], name[160];
		int n = 0;

		if (g->n_free) {
			snprintf(name, sizeof(name), "%s.memtotal_before_mib", g->g->name);
			results_metric(&c->res, name, (double)g->memtotal_first, "MiB", "higher");
			snprintf(name, sizeof(name), "%s.memtotal_ballooned_mib", g->g->name);
			results_metric(&c->res, name, (double)g->memtotal_min, "MiB", "lower");
			snprintf(name, sizeof(name), "%s.memtotal_after_mib", g->g->name);
			results_metric(&c->res, name, (double)g->memtotal_last, "MiB", "higher");
			n = snprintf(line, sizeof(line), "%s: MemTotal %ld → %ld MiB", g->g->name,
				     g->memtotal_first, g->memtotal_min);
			if (g->memtotal_last != g->memtotal_min)
				n += snprintf(line + n, sizeof(line) - (size_t)n, " → %ld MiB", g->memtotal_last);
		} else if (g->vm->boot_ns || vm_can(g->vm, VM_CAP_HOST_WORKLOADS)) {
			n = snprintf(line, sizeof(line), "%s: booted in %.2f s", g->g->name,
				     ns_to_s(g->vm->boot_ns));
		} else {
			n = snprintf(line, sizeof(line), "%s: did not boot", g->g->name);
		}
		if (g->balloon_waits) {
			snprintf(name, sizeof(name), "%s.balloon_reached_pct", g->g->name);
			results_metric(&c->res, name, g->reached_pct_min, "%", "higher");
		}
		if (g->have_inflate && n > 0 && (size_t)n < sizeof(line))
			snprintf(line + n, sizeof(line) - (size_t)n, " (balloon %.0f → %.0f MiB in %.2f s)",
				 bytes_to_mib(g->first_inflate_from), bytes_to_mib(g->first_inflate_target),
				 g->first_inflate_s);
		json_array_append_new(c->summary, json_string(line));
	}
}

/* summary metrics of the sampler, and the cap recorded and
 * removed (every QEMU has been stopped and reaped by now). */
void run_finish_sampling(struct run_ctx *c)
{
	sampler_summary(c->sampler);
	if (!c->cgroup)
		return;
	json_object_set_new(c->res.run, "host_memory_limit", cgroup_describe(c->cgroup));
	if (cgroup_destroy(c->cgroup, CGROUP_RMDIR_NS) < 0)
		run_fail(c, ocb_errmsg());
	c->cgroup = NULL;
}

/* The harness's own CPU (not its QEMUs'): what ocbench costs the host. */
void run_harness_cpu_metric(struct run_ctx *c, const struct rusage *ru0)
{
	struct rusage ru;
	double wall = ns_to_s(mono_ns() - c->res.t0_ns), cpu;

	if (getrusage(RUSAGE_SELF, &ru) < 0 || wall <= 0)
		return;
	cpu = (double)(ru.ru_utime.tv_sec - ru0->ru_utime.tv_sec) +
	      (double)(ru.ru_utime.tv_usec - ru0->ru_utime.tv_usec) / 1e6 +
	      (double)(ru.ru_stime.tv_sec - ru0->ru_stime.tv_sec) +
	      (double)(ru.ru_stime.tv_usec - ru0->ru_stime.tv_usec) / 1e6;
	results_metric(&c->res, "harness_cpu_pct", 100.0 * cpu / wall, "%", "lower");
}
