/* ksmsettle.h — has KSM finished merging?  (`wait ksm-settled`, the
 * summary metric ksm_settle_s.)
 *
 * KSM has settled when full_scans has advanced at least 2 since the wait
 * began and pages_sharing changed less than 5 % between consecutive full
 * scans (0 → 0 is no change).  Why full scans: ksmd merges a page on the
 * scan after the one that found it unchanged, so identical content is
 * merged exactly when full_scans has advanced by 2 from the moment it
 * became mergeable; a value read mid-scan says nothing.  pages_sharing is
 * compared at the first observation after each scan boundary; when polls
 * are slower than scans, consecutive observed boundaries are compared
 * (a stricter test).
 *
 * Polling never spins: busy-polling the sysfs counters slows ksmd 5-6x on
 * a 2-core host (the poller competes for the CPU and every merge sends it
 * a TLB-flush interrupt).  The wait calls the caller's idle function
 * between polls, which sleeps, keeps the sampler ticking and pumps events.
 *
 * full_scans going backwards (KSM restarted) starts the detection over;
 * KSM stopping (run != 1) during the wait is an error naming it.
 *
 * A remote host (guests over a remote libvirt URI) is waited on through
 * its libvirt node memory parameters (ksm_settle_wait_on with the reader
 * of host/libvirt-node.h): the same counters, read over the connection.
 *
 * KSM is host-wide: these are host figures (any other QEMU on the machine
 * merges too); per-guest figures come from /proc/PID/ksm_merging_pages
 * (the sampler).
 */
#ifndef OCB_KSMSETTLE_H
#define OCB_KSMSETTLE_H

#include <stdint.h>

#define KSM_SETTLE_CHANGE 0.05		/* relative pages_sharing change */
#define KSM_SETTLE_MIN_SCANS 2
#define KSM_SETTLE_POLL_NS (20 * 1000000ull)

/* The detector by itself: feed it observations (tests script them). */
struct ksm_settle {
	uint64_t t0_ns;
	unsigned long long scans0, ps0;		/* at the start */
	unsigned long long scans, ps;		/* the latest observation */
	unsigned long long b_scans, b_ps;	/* the latest scan boundary */
	int have_boundary;
	double last_change;			/* at the latest boundary, -1 none yet */
	int settled;
	unsigned restarts;			/* full_scans went backwards */
};

void ksm_settle_begin(struct ksm_settle *k, uint64_t now_ns, unsigned long long full_scans,
		      unsigned long long pages_sharing);
/* One observation: 1 settled (now or before), 0 not yet. */
int ksm_settle_feed(struct ksm_settle *k, uint64_t now_ns, unsigned long long full_scans,
		    unsigned long long pages_sharing);

struct ksm_settle_result {
	double settle_s;		/* from the start of the wait to detection */
	double merged_mib;		/* pages_sharing x page size when settled */
	double merged_delta_mib;	/* its change during the wait */
	double rate_mib_s;		/* merged_delta_mib / settle_s */
	unsigned long long full_scans;	/* scans completed during the wait */
	unsigned long long pages_sharing;
	int have_profit;		/* general_profit exists (Linux 6.7+) */
	double general_profit_mib;
};

/* One reading of a host's KSM counters. */
struct ksm_reading {
	unsigned long long full_scans, pages_sharing;
	int run;			/* /sys/kernel/mm/ksm/run; -1 not known (libvirt) */
};

/* Where the counters come from: this host's sysfs (ksm_sysfs_reader) or a
 * libvirt host (host/libvirt-node.h: lvnode_ksm_reader). */
struct ksm_reader {
	char where[256];		/* "this host" or the URI, for messages */
	/* 0, or -1 with a message */
	int (*read)(void *opaque, struct ksm_reading *r);
	/* general_profit in MiB once settled (Linux 6.7+, sysfs only): 0,
	 * or -1 when there is none; may be NULL */
	int (*profit)(void *opaque, double *mib);
	void (*fini)(void *opaque);	/* may be NULL */
	void *opaque;
};

/* This host's /sys/kernel/mm/ksm under root (borrowed). */
void ksm_sysfs_reader(struct ksm_reader *rd, const char *root);
void ksm_reader_fini(struct ksm_reader *rd);

/* Sleeps about ns while keeping the caller's loop alive; < 0 stops the
 * wait (the caller's error or an interrupt, already reported). */
typedef int (*ksm_idle_fn)(void *opaque, uint64_t ns);

/* Wait until KSM under root has settled, at most timeout_ns, polling
 * every poll_ns (0: KSM_SETTLE_POLL_NS; never less than 1 ms).  0 settled
 * (res filled); 1 nothing to wait for: KSM absent or not running (the
 * reason in ocb_errmsg(); a [matrix] with ksm = off is not an error);
 * -1 on timeout (the message has the counters seen) or when idle returns
 * < 0 (its message stands). */
int ksm_settle_wait(const char *root, uint64_t timeout_ns, uint64_t poll_ns, ksm_idle_fn idle,
		    void *opaque, struct ksm_settle_result *res);
/* The same on any reader.  A reader that cannot tell whether KSM runs
 * (run -1: a libvirt host) is waited on all the same; when its full_scans
 * never advance the timeout's message says KSM may be stopped there. */
int ksm_settle_wait_on(const struct ksm_reader *rd, uint64_t timeout_ns, uint64_t poll_ns,
		       ksm_idle_fn idle, void *opaque, struct ksm_settle_result *res);

#endif
