/* ksmtuned.c — ksmtuned, the KSM tuning daemon of the ksm/qemu-kvm
 * package (ksmtuned and /etc/ksmtuned.conf, its defaults), written again
 * from its rules:
 *
 *   thres = max(20 % of total memory (KSM_THRES_COEF), 2048 KiB
 *   (KSM_THRES_CONST)); free = MemFree + Buffers + Cached; committed =
 *   the resident memory of the QEMU processes.
 *   committed + thres < total and free > thres: KSM stops (run = 0).
 *   Otherwise KSM runs, pages_to_scan goes up by 300 (KSM_NPAGES_BOOST)
 *   when free < thres and down by 50 (KSM_NPAGES_DECAY) otherwise, kept
 *   within [64, 1250]; sleep_millisecs = 10 ms (KSM_SLEEP_MSEC) × 16 GiB ÷
 *   total, at least 10.  pages_to_scan starts from 0, as the script's.
 *   The cycle is KSM_MONITOR_INTERVAL, 60 s.
 *
 * Under a host_memory_limit the total and free memory are the cap's.
 */
#include "policy/ksmtuned.h"

enum { P_BOOST, P_DECAY, P_NPAGES_MIN, P_NPAGES_MAX, P_THRES_COEF, P_THRES_CONST, P_SLEEP_MS };

static const struct policy_param ksmtuned_params[] = {
	[P_BOOST] = { "npages_boost", 300, 0, 1e6, PU_NUMBER, "pages_to_scan added under pressure" },
	[P_DECAY] = { "npages_decay", -50, -1e6, 0, PU_NUMBER, "pages_to_scan added otherwise" },
	[P_NPAGES_MIN] = { "npages_min", 64, 0, 1e8, PU_NUMBER, "least pages_to_scan while KSM runs" },
	[P_NPAGES_MAX] = { "npages_max", 1250, 0, 1e8, PU_NUMBER, "most pages_to_scan" },
	[P_THRES_COEF] = { "thres_coef", 0.20, 0, 1, PU_FRACTION, "free memory threshold, share of total" },
	[P_THRES_CONST] = { "thres_const", 2, 0, 1e6, PU_MIB, "the threshold's least value" },
	[P_SLEEP_MS] = { "sleep", 10, 0, 1e6, PU_MS, "sleep_millisecs for a 16 GiB host" },
	{ 0 },
};

struct ksmtuned_state {
	long npages;
};

static void ksmtuned_tick(struct policy *p, const struct policy_obs *o, struct policy_actions *a)
{
	struct ksmtuned_state *st = p->state;
	double total = policy_host_total_mib(o), free = policy_host_free_mib(o), committed = 0;
	double thres = total * p->param[P_THRES_COEF];
	long sleep;

	if (total <= 0 || free < 0)
		return;
	if (thres < p->param[P_THRES_CONST])
		thres = p->param[P_THRES_CONST];
	for (size_t i = 0; i < o->n; i++)
		if (o->g[i].rss_mib > 0)
			committed += o->g[i].rss_mib;
	if (committed + thres < total && free > thres) {
		a->ksm_run = 0;
		return;
	}
	st->npages += (long)(free < thres ? p->param[P_BOOST] : p->param[P_DECAY]);
	if (st->npages < (long)p->param[P_NPAGES_MIN])
		st->npages = (long)p->param[P_NPAGES_MIN];
	if (st->npages > (long)p->param[P_NPAGES_MAX])
		st->npages = (long)p->param[P_NPAGES_MAX];
	sleep = (long)(p->param[P_SLEEP_MS] * 16384.0 / total);
	a->ksm_run = 1;
	a->ksm_pages_to_scan = st->npages;
	a->ksm_sleep_ms = sleep < 10 ? 10 : sleep;
}

const struct policy_ops policy_ksmtuned = {
	.name = "ksmtuned",
	.help = "ksmtuned (KSM only): KSM on when free < 20 % or committed + 20 % > total; "
		"pages_to_scan +300 / -50 within [64, 1250]",
	.source = "ksmtuned and ksmtuned.conf of the ksm/qemu-kvm package",
	.flags = POLICY_F_KSM,
	.interval_s = 60,
	.params = ksmtuned_params,
	.state_size = sizeof(struct ksmtuned_state),
	.tick = ksmtuned_tick,
};
