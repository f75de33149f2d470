/* remote-lock.c — see remote-lock.h. */
#include "knobs/remote-lock.h"
#include "knobs/hostlock.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/interrupt.h"
#include "util/libvirt-conn.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How often a waiting process tries again (a run holds the lock for
 * minutes; a signal must end the wait promptly). */
#define LVLOCK_POLL_NS (500 * 1000000ull)

/* libvirt's test driver (test:///...) takes neither flag; its domains
 * live in the client process and go with it, which is what autodestroy
 * gives a real daemon's. */
static unsigned int create_flags(virConnectPtr conn)
{
	const char *type = virConnectGetType(conn);

	if (type && !strcmp(type, "TEST"))
		return 0;
	return VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY;
}

struct held {
	char *uri;
	virConnectPtr conn;
	virDomainPtr dom;
	unsigned count;
};

static struct held *held;
static size_t n_held;

static struct held *find(const char *uri)
{
	for (size_t i = 0; i < n_held; i++)
		if (!strcmp(held[i].uri, uri))
			return &held[i];
	return NULL;
}

unsigned lvlock_held(const char *uri)
{
	struct held *h = find(uri);

	return h ? h->count : 0;
}

/* The smallest domain the driver will start: no disk, no kernel (it never
 * runs: paused), no balloon, 16 MiB never touched. */
static void lock_xml(virConnectPtr conn, struct strbuf *x)
{
	const char *type = virConnectGetType(conn);
	char host[256] = "?", t[32] = "qemu", when[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	for (i = 0; type && type[i] && i + 1 < sizeof(t); i++)
		t[i] = (char)tolower((unsigned char)type[i]);
	if (type)
		t[i] = '\0';
	gethostname(host, sizeof(host) - 1);
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strbuf_addf(x, "<domain type='%s'><name>%s</name>"
		    "<description>ocbench pid %ld on %s since %s</description>"
		    "<memory unit='MiB'>16</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
		    "<devices><controller type='usb' model='none'/><memballoon model='none'/>"
		    "</devices></domain>", t, LVLOCK_DOMAIN, (long)getpid(), host, when);
}

/* The holder as its domain describes it, into out. */
static void holder(virConnectPtr conn, char *out, size_t len)
{
	virDomainPtr d = virDomainLookupByName(conn, LVLOCK_DOMAIN);
	char *desc = d ? virDomainGetMetadata(d, VIR_DOMAIN_METADATA_DESCRIPTION, NULL, 0) : NULL;

	snprintf(out, len, "%s", desc ? desc : "an ocbench (holder unknown)");
	free(desc);
	if (d)
		virDomainFree(d);
}

/* One try: 0 taken, 1 held by someone else, -1 error. */
static int try_take(virConnectPtr conn, const char *uri, virDomainPtr *dom)
{
	struct strbuf x = STRBUF_INIT;
	virDomainPtr d;

	lock_xml(conn, &x);
	*dom = virDomainCreateXML(conn, x.buf, create_flags(conn));
	strbuf_release(&x);
	if (*dom)
		return 0;
	d = virDomainLookupByName(conn, LVLOCK_DOMAIN);
	if (d) {
		virDomainFree(d);
		return 1;
	}
	return ocb_fail("cannot take the ocbench lock of %s (a transient domain '%s'): %s", uri,
			LVLOCK_DOMAIN, lv_errmsg());
}

static int take(virConnectPtr conn, const char *uri, virDomainPtr *dom)
{
	char who[512];
	int rc = try_take(conn, uri, dom), said = 0;

	while (rc == 1) {
		holder(conn, who, sizeof(who));
		if (!hostlock_wait_policy())
			return ocb_fail("another ocbench is changing host knobs on %s: %s holds its lock "
					"(domain '%s') (--no-wait: not waiting for it)", uri, who, LVLOCK_DOMAIN);
		if (!said++)
			fprintf(stderr, "ocbench: waiting for the ocbench that holds the lock of %s (%s, "
				"domain '%s')\n", uri, who, LVLOCK_DOMAIN);
		if (ocb_interrupted)
			return ocb_fail("interrupted while waiting for the lock of %s (held by %s)", uri, who);
		sleep_ns(LVLOCK_POLL_NS, NULL);
		if (ocb_interrupted)
			return ocb_fail("interrupted while waiting for the lock of %s (held by %s)", uri, who);
		rc = try_take(conn, uri, dom);
	}
	return rc;
}

int lvlock_hold(const char *uri)
{
	struct held *h = find(uri);
	virConnectPtr conn;
	virDomainPtr dom = NULL;

	if (h && virConnectIsAlive(h->conn) == 1) {
		h->count++;
		return 0;
	}
	if (h)	/* its connection died, and the daemon destroyed the lock */
		return ocb_fail("the ocbench lock of %s was lost: the connection holding it closed "
				"(libvirtd restarted, or the link failed)", uri);
	conn = lv_open(uri);
	if (!conn)
		return ocb_err_prefix("the ocbench lock of %s: ", uri);
	if (take(conn, uri, &dom) < 0) {
		virConnectClose(conn);
		return -1;
	}
	held = xreallocarray(held, n_held + 1, sizeof(*held));
	held[n_held].uri = xstrdup(uri);
	held[n_held].conn = conn;
	held[n_held].dom = dom;
	held[n_held].count = 1;
	n_held++;
	return 0;
}

void lvlock_drop(const char *uri)
{
	struct held *h = find(uri);

	if (!h || --h->count > 0)
		return;
	/* autodestroy would do it when the connection closes; at once is
	 * clearer, and the only way with a driver without autodestroy */
	virDomainDestroy(h->dom);
	virDomainFree(h->dom);
	virConnectClose(h->conn);
	free(h->uri);
	*h = held[--n_held];
	if (!n_held) {
		free(held);
		held = NULL;
	}
}
