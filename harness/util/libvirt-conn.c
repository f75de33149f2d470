/* libvirt-util.c — see libvirt-util.h. */
#include "util/libvirt-conn.h"
#include "util/clock.h"
#include "util/error.h"

#include <libvirt/virterror.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static int init_rc = -1;
static char init_err[512];
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void quiet_errors(void *opaque, virErrorPtr err)
{
	(void)opaque;
	(void)err;	/* kept by libvirt as the last error; we report it */
}

static void do_init(void)
{
	virSetErrorFunc(NULL, quiet_errors);
	if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0) {
		snprintf(init_err, sizeof(init_err), "cannot initialize libvirt: %s", lv_errmsg());
		return;
	}
	init_rc = 0;
}

int lv_init(void)
{
	pthread_once(&init_once, do_init);
	if (init_rc < 0)
		return ocb_fail("%s", init_err);
	return 0;
}

const char *lv_errmsg(void)
{
	const char *m = virGetLastErrorMessage();

	return m && *m ? m : "unknown libvirt error";
}

int lv_uri_is_local(const char *uri)
{
	const char *p;

	if (!uri || !*uri)
		return 1;
	p = strstr(uri, "://");
	if (!p)
		return 0;
	/* scheme:///path has no host part; qemu+unix is a local socket. */
	return p[3] == '/' || !strncmp(uri, "qemu+unix:", 10);
}

void lv_uri_host(const char *uri, char *buf, size_t len)
{
	const char *p = uri ? strstr(uri, "://") : NULL, *end, *at;

	if (!p || p[3] == '/' || !p[3]) {
		snprintf(buf, len, "localhost");
		return;
	}
	p += 3;
	end = p + strcspn(p, "/?");
	at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	snprintf(buf, len, "%.*s", (int)(end - p), p);
}

virConnectPtr lv_open(const char *uri)
{
	const char *u = uri && *uri ? uri : LV_DEFAULT_URI;
	virConnectPtr conn;

	if (lv_init() < 0)
		return NULL;
	conn = virConnectOpen(u);
	if (conn)
		return conn;
	if (lv_uri_is_local(u))
		ocb_fail("cannot connect to libvirt at %s: %s; is libvirtd running? Start it with "
			 "`virtlogd -d && libvirtd -d` (no systemd; ci/start-libvirtd does this) or "
			 "`systemctl start libvirtd`", u, lv_errmsg());
	else
		ocb_fail("cannot connect to libvirt at %s: %s; check that the host is reachable "
			 "(ssh keys for qemu+ssh://) and that libvirtd runs there", u, lv_errmsg());
	return NULL;
}

static void slice_over(int timer, void *opaque)
{
	(void)timer;
	(void)opaque;	/* only there to make virEventRunDefaultImpl return */
}

int lv_events_run(uint64_t timeout_ns)
{
	uint64_t deadline = mono_ns() + timeout_ns;

	if (lv_init() < 0)
		return -1;
	/* One iteration of the default loop blocks in poll() until a watch or
	 * timer fires: a timer due at the end of the slice bounds it. */
	do {
		uint64_t now = mono_ns();
		int ms = now >= deadline ? 0 : (int)((deadline - now + 999999) / 1000000);
		int t = virEventAddTimeout(ms, slice_over, NULL, NULL);
		int rc;

		if (t < 0)
			return ocb_fail("libvirt event loop: cannot add a timer: %s", lv_errmsg());
		rc = virEventRunDefaultImpl();
		virEventRemoveTimeout(t);
		if (rc < 0)
			return ocb_fail("libvirt event loop: %s", lv_errmsg());
	} while (mono_ns() < deadline);
	return 0;
}

void lv_version_string(unsigned long v, char *buf, size_t len)
{
	snprintf(buf, len, "%lu.%lu.%lu", v / 1000000, (v / 1000) % 1000, v % 1000);
}
