/* reclaim.c — see reclaim.h. */
#include "sampler/reclaim.h"
#include "sampler/ask.h"
#include "sampler/host.h"
#include "sampler/ksm-history.h"
#include "host/ksmd.h"
#include "host/sysfs.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vm/vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static double page_mib(void)
{
	return (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

double ksm_saved_per_cpu_s(double saved_mib, double cpu_s)
{
	return cpu_s > 0 ? saved_mib / cpu_s : -1;
}

/* ---- ksmd: KSM's CPU cost ------------------------------------------------- */

struct ksmd_state {
	pid_t pid;
	double cpu0, cpu_last;		/* seconds of ksmd CPU at the first and last sample */
	uint64_t t0_ns, t_last_ns;
	int n;
};

static int ksmd_init(struct sampler *s, void **state, char *why, size_t len)
{
	pid_t pid = ksmd_pid(sampler_root(s));
	struct ksmd_state *k;

	if (pid < 0) {
		snprintf(why, len, "no ksmd kernel thread in /proc (no KSM on this kernel)");
		return 1;
	}
	k = xcalloc(1, sizeof(*k));
	k->pid = pid;
	*state = k;
	return 0;
}

static int ksmd_sample(struct sampler *s, void *state)
{
	struct ksmd_state *k = state;
	uint64_t now = sampler_now_ns(s);
	double cpu;

	if (proc_cpu_seconds(sampler_root(s), k->pid, &cpu) < 0)
		return ocb_err_prefix("ksmd (pid %ld): ", (long)k->pid);
	if (!k->n++) {
		k->cpu0 = cpu;
		k->t0_ns = now;
	} else if (now > k->t_last_ns) {
		sampler_put(s, "ksmd_cpu_pct", 100.0 * (cpu - k->cpu_last) /
			    ((double)(now - k->t_last_ns) / 1e9));
	}
	sampler_put(s, "ksmd_cpu_s", cpu - k->cpu0);
	k->cpu_last = cpu;
	k->t_last_ns = now;
	return 0;
}

/* The cost/benefit summary: ksmd's CPU over the run, KSM's final saving
 * per ksmd CPU-second, and when the saving reached 90 % of its final
 * value (from the sampler's first ksmd sample). */
static void ksmd_summary(struct sampler *s, void *state)
{
	struct ksmd_state *k = state;
	double cpu = k->cpu_last - k->cpu0, wall = (double)(k->t_last_ns - k->t0_ns) / 1e9;
	double sharing, saved, per;
	const struct ksm_history *hist = sampler_ksm_local_history(s);
	uint64_t t90;

	if (k->n < 2 || wall <= 0)
		return;
	sampler_metric(s, "ksmd_cpu_s", cpu, "s", "lower");
	sampler_metric(s, "ksmd_cpu_pct", 100.0 * cpu / wall, "%", "lower");
	if (!hist || ksm_history_at(hist, k->t_last_ns, &sharing) < 0) {
		sampler_metric_missing(s, "ksm_saved_mib_per_cpu_s", "MiB/s", "higher",
				       "KSM's pages_sharing was not sampled");
		return;
	}
	saved = sharing * page_mib();
	per = ksm_saved_per_cpu_s(saved, cpu);
	if (per < 0)
		sampler_metric_missing(s, "ksm_saved_mib_per_cpu_s", "MiB/s", "higher",
				       "ksmd used no measurable CPU (under one clock tick)");
	else
		sampler_metric(s, "ksm_saved_mib_per_cpu_s", per, "MiB/s", "higher");
	if (sharing > 0 && ksm_history_reached(hist, k->t0_ns, 0.9 * sharing, &t90) == 0)
		sampler_metric(s, "ksm_saved_t90_s", (double)(t90 - k->t0_ns) / 1e9, "s", "lower");
	else
		sampler_metric_missing(s, "ksm_saved_t90_s", "s", "lower",
				       "KSM saved nothing by the end of the run");
}

const struct sampler_source_ops sampler_ksmd_source = {
	.name = "ksmd",
	.init = ksmd_init,
	.sample = ksmd_sample,
	.summary = ksmd_summary,
	.fini = free,
};

/* ---- vmstat: swap-in/out rates -------------------------------------------- */

struct vmstat_state {
	double in0, out0, in_last, out_last;
	uint64_t t_last_ns;
	int n;
};

static int vmstat_read(struct sampler *s, double *in, double *out)
{
	struct strbuf t = STRBUF_INIT, p = STRBUF_INIT;
	int got = 0;

	sysfs_path(sampler_root(s), "/proc/vmstat", &p);
	if (read_file(p.buf, &t) == 0)
		for (char *l = t.buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
			if (!strncmp(l, "pswpin ", 7) && ++got)
				*in = strtod(l + 7, NULL);
			else if (!strncmp(l, "pswpout ", 8) && ++got)
				*out = strtod(l + 8, NULL);
		}
	strbuf_release(&t);
	strbuf_release(&p);
	return got == 2 ? 0 : -1;
}

static int vmstat_init(struct sampler *s, void **state, char *why, size_t len)
{
	double in, out;

	if (vmstat_read(s, &in, &out) < 0) {
		snprintf(why, len, "/proc/vmstat has no pswpin/pswpout");
		return 1;
	}
	*state = xcalloc(1, sizeof(struct vmstat_state));
	return 0;
}

static int vmstat_sample(struct sampler *s, void *state)
{
	struct vmstat_state *v = state;
	uint64_t now = sampler_now_ns(s);
	double in, out, dt;

	if (vmstat_read(s, &in, &out) < 0)
		return ocb_fail("/proc/vmstat: no pswpin/pswpout");
	if (!v->n++) {
		v->in0 = in;
		v->out0 = out;
	} else if (now > v->t_last_ns) {
		dt = (double)(now - v->t_last_ns) / 1e9;
		sampler_put(s, "swap_in_mib_s", (in - v->in_last) * page_mib() / dt);
		sampler_put(s, "swap_out_mib_s", (out - v->out_last) * page_mib() / dt);
	}
	v->in_last = in;
	v->out_last = out;
	v->t_last_ns = now;
	return 0;
}

static void vmstat_summary(struct sampler *s, void *state)
{
	struct vmstat_state *v = state;

	if (!v->n)
		return;
	/* host-wide: whatever else swaps on the machine counts too */
	sampler_metric(s, "host_swap_in_mib", (v->in_last - v->in0) * page_mib(), "MiB", "lower");
	sampler_metric(s, "host_swap_out_mib", (v->out_last - v->out0) * page_mib(), "MiB", "lower");
}

const struct sampler_source_ops sampler_vmstat_source = {
	.name = "vmstat",
	.init = vmstat_init,
	.sample = vmstat_sample,
	.summary = vmstat_summary,
	.fini = free,
};

/* ---- vmem: virtio-mem size vs requested-size ------------------------------ */

static int has_vmem(const struct vm *vm)
{
	return vm->cfg.vmem_bytes && vm->ops->vmem_get;
}

static int vmem_wait(struct vm *vm, struct vm_answer *a)
{
	return vm->ops->vmem_get(vm, &a->vmem_size, &a->vmem_requested);
}

static void vmem_put(struct sampler *s, struct vm *vm, const struct vm_answer *a)
{
	sampler_putf(s, bytes_to_mib(a->vmem_size), "%s.vmem_size_mib", vm->cfg.name);
	sampler_putf(s, bytes_to_mib(a->vmem_requested), "%s.vmem_requested_mib", vm->cfg.name);
}

static const struct ask_kind vmem_kind = {
	VM_QUERY_VMEM, "virtio-mem", has_vmem, vmem_wait, vmem_put,
};

static int vmem_init(struct sampler *s, void **state, char *why, size_t len)
{
	return ask_init(s, state, &vmem_kind, why, len,
			"no guest has a virtio-mem device the backend can read");
}

const struct sampler_source_ops sampler_vmem_source = {
	.name = "vmem",
	.max_hz = 5,
	.init = vmem_init,
	.sample = ask_round,
	.collect = ask_collect,
	.fini = ask_free,
};
