/* balloon-diagnose.c — see balloon-diagnose.h. */
#include "vm/balloon-diagnose.h"
#include "host/diagnosis.h"
#include "util/error.h"
#include "util/jsontext.h"
#include "util/strbuf.h"
#include "vm/vm.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIRTIO_DEVICES "/sys/bus/virtio/devices"
#define BALLOON_DRIVER "/sys/bus/virtio/drivers/virtio_balloon"
#define VIRTIO_ID_BALLOON "0x0005"

/* Does the action list of an interrupt line name dev (as "dev" or
 * "dev-config", separated by ", ")? */
static int names_dev(const char *actions, const char *dev)
{
	size_t n = strlen(dev);

	for (const char *p = actions; (p = strstr(p, dev)); p += n)
		if ((p == actions || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == '-' || p[n] == ',' || isspace((unsigned char)p[n])))
			return 1;
	return 0;
}

long long balloon_irq_count(const char *text, const char *dev, char *irq, size_t len)
{
	struct strbuf irqs = STRBUF_INIT;
	long long total = -1;

	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n'), *p, *colon;
		char buf[512];
		long long sum = 0;

		snprintf(buf, sizeof(buf), "%.*s", nl ? (int)(nl - line) : (int)strlen(line), line);
		line = nl ? nl + 1 : NULL;
		p = buf + strspn(buf, " ");
		colon = strchr(p, ':');
		if (!colon || !names_dev(colon + 1, dev))
			continue;
		for (p = colon + 1;;) {
			char *end;
			long long v;

			p += strspn(p, " ");
			v = strtoll(p, &end, 10);
			if (end == p || !isspace((unsigned char)*end))
				break;
			sum += v;
			p = end;
		}
		total = (total < 0 ? 0 : total) + sum;
		strbuf_addf(&irqs, "%s%.*s", irqs.len ? "," : "", (int)(colon - (buf + strspn(buf, " "))),
			    buf + strspn(buf, " "));
	}
	snprintf(irq, len, "%s", strbuf_str(&irqs));
	strbuf_release(&irqs);
	return total;
}

/* `ls DIR` in the guest: 0 listed (names in out), 1 no such directory,
 * -1 the agent failed. */
static int guest_ls(struct vm *vm, const char *dir, uint64_t timeout_ns, struct strbuf *out)
{
	const char *const argv[] = { "ls", dir, NULL };
	struct agent_exec_result res;
	int rc;

	if (vm->ops->agent_exec(vm, argv, timeout_ns, &res) < 0)
		return -1;
	rc = res.exited && res.exitcode == 0 ? 0 : 1;
	if (rc == 0)
		strbuf_adds(out, strbuf_str(&res.out));
	agent_exec_result_release(&res);
	return rc;
}

/* A name `ls` listed is the guest's word: it goes into a path only when it
 * is what Linux names a virtio device, "virtio" and digits (never '/',
 * "..", a blank or anything a path could make more of). */
int balloon_virtio_name_ok(const char *n)
{
	size_t digits = strncmp(n, "virtio", 6) ? 0 : strspn(n + 6, "0123456789");

	return digits > 0 && digits <= 6 && n[6 + digits] == '\0';
}

/* The virtio devices and their ids; the balloon's name into dev. */
static int find_device(struct vm *vm, uint64_t timeout_ns, json_t *diag, char *dev, size_t len)
{
	struct strbuf names = STRBUF_INIT;
	json_t *devs = json_object();
	char *save = NULL;

	json_object_set_new(diag, "virtio_devices", devs);
	dev[0] = '\0';
	if (guest_ls(vm, VIRTIO_DEVICES, timeout_ns, &names) != 0) {
		strbuf_release(&names);
		return -1;
	}
	for (char *n = strtok_r(names.buf, " \t\n", &save); n; n = strtok_r(NULL, " \t\n", &save)) {
		struct strbuf path = STRBUF_INIT, id = STRBUF_INIT;

		if (!balloon_virtio_name_ok(n))
			continue;	/* not a device: never read */
		strbuf_addf(&path, VIRTIO_DEVICES "/%s/device", n);
		if (vm->ops->agent_read_file(vm, path.buf, &id, timeout_ns) == 0) {
			strbuf_rtrim(&id);
			json_object_set_new(devs, n, json_text(id.buf, id.len));
			if (!strcmp(id.buf, VIRTIO_ID_BALLOON) && !dev[0])
				snprintf(dev, len, "%s", n);
		}
		strbuf_release(&path);
		strbuf_release(&id);
	}
	strbuf_release(&names);
	ocb_err_clear();
	return 0;
}

/* The driver bound to dev; 0 bound, -1 not (finding added). */
static int driver(struct vm *vm, uint64_t timeout_ns, json_t *diag, const char *dev)
{
	struct strbuf names = STRBUF_INIT;
	int rc = guest_ls(vm, BALLOON_DRIVER, timeout_ns, &names), bound = 0;
	char *save = NULL;

	for (char *n = rc == 0 ? strtok_r(names.buf, " \t\n", &save) : NULL; n; n = strtok_r(NULL, " \t\n", &save))
		bound |= !strcmp(n, dev);
	strbuf_release(&names);
	json_object_set_new(diag, "driver_bound", json_boolean(bound));
	if (rc < 0)
		diag_add(diag, DIAG_UNKNOWN, "agent", vm->cfg.name, "%s: %s was not listed: %s", vm->cfg.name,
			 BALLOON_DRIVER, ocb_errmsg());
	else if (rc == 1)
		diag_add(diag, DIAG_CAUSE, "driver-missing", vm->cfg.name,
			 "%s: the guest has no virtio_balloon driver (%s is missing: module not loaded or not built)",
			 vm->cfg.name, BALLOON_DRIVER);
	else if (!bound)
		diag_add(diag, DIAG_CAUSE, "driver-not-bound", vm->cfg.name,
			 "%s: the virtio_balloon driver is not bound to the balloon device %s (no %s/%s)", vm->cfg.name,
			 dev, BALLOON_DRIVER, dev);
	return bound ? 0 : -1;
}

static void interrupts(struct vm *vm, uint64_t timeout_ns, json_t *diag, const char *dev)
{
	struct strbuf text = STRBUF_INIT;
	char irq[64];
	long long n;

	if (vm->ops->agent_read_file(vm, "/proc/interrupts", &text, timeout_ns) < 0) {
		diag_add(diag, DIAG_UNKNOWN, "agent", vm->cfg.name, "%s: the guest's /proc/interrupts was not read: %s",
			 vm->cfg.name, ocb_errmsg());
		strbuf_release(&text);
		return;
	}
	n = balloon_irq_count(text.buf, dev, irq, sizeof(irq));
	json_object_set_new(diag, "interrupts", json_pack("{s:s, s:I}", "irq", irq, "count", (json_int_t)n));
	if (n < 0)
		diag_add(diag, DIAG_CAUSE, "no-interrupt", vm->cfg.name,
			 "%s: the balloon device %s has no line in the guest's /proc/interrupts: it has no interrupt "
			 "set up", vm->cfg.name, dev);
	else if (n == 0)
		diag_add(diag, DIAG_CAUSE, "interrupt-not-delivered", vm->cfg.name,
			 "%s: the balloon's interrupt never arrived: IRQ %s (%s) counts 0 in the guest's "
			 "/proc/interrupts, so the guest never hears of a new balloon target", vm->cfg.name, irq, dev);
	strbuf_release(&text);
}

/* The device, its driver and (irq set) its interrupts; the device's name
 * into dev ("" when there is none). */
static json_t *diagnose(struct vm *vm, uint64_t timeout_ns, int irq, char *dev, size_t len)
{
	json_t *diag = diag_new();

	if (find_device(vm, timeout_ns, diag, dev, len) < 0) {
		diag_add(diag, DIAG_UNKNOWN, "agent", vm->cfg.name, "%s: the guest's %s was not listed: %s",
			 vm->cfg.name, VIRTIO_DEVICES, ocb_errmsg());
		return diag;
	}
	json_object_set_new(diag, "balloon_device", dev[0] ? json_string(dev) : json_null());
	if (!dev[0]) {
		diag_add(diag, DIAG_CAUSE, "no-device-in-guest", vm->cfg.name,
			 "%s: the guest sees no virtio-balloon device (no %s/virtioN/device is %s)", vm->cfg.name,
			 VIRTIO_DEVICES, VIRTIO_ID_BALLOON);
		return diag;
	}
	if (driver(vm, timeout_ns, diag, dev) == 0 && irq)
		interrupts(vm, timeout_ns, diag, dev);
	return diag;
}

json_t *balloon_diagnose(struct vm *vm, uint64_t timeout_ns)
{
	char dev[64];

	return diagnose(vm, timeout_ns, 1, dev, sizeof(dev));
}

int balloon_feature_bit(const char *features, unsigned bit)
{
	size_t n = strcspn(features, "\n");

	if (bit >= n || (features[bit] != '0' && features[bit] != '1'))
		return -1;
	return features[bit] == '1';
}

json_t *balloon_feature_diagnose(struct vm *vm, uint64_t timeout_ns, unsigned bit, const char *feature,
				 const char *prop)
{
	char dev[64];
	/* no interrupts: a balloon whose target never changed counts none */
	json_t *diag = diagnose(vm, timeout_ns, 0, dev, sizeof(dev));
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	int on;

	if (!dev[0])
		return diag;	/* no device: its cause is there already */
	strbuf_addf(&path, VIRTIO_DEVICES "/%s/features", dev);
	if (vm->ops->agent_read_file(vm, path.buf, &text, timeout_ns) < 0) {
		diag_add(diag, DIAG_UNKNOWN, "agent", vm->cfg.name, "%s: the guest's %s was not read: %s",
			 vm->cfg.name, path.buf, ocb_errmsg());
		goto out;
	}
	strbuf_rtrim(&text);
	on = balloon_feature_bit(strbuf_str(&text), bit);
	json_object_set_new(diag, "features", json_text(strbuf_str(&text), text.len));
	json_object_set_new(diag, "feature", json_pack("{s:s, s:i, s:o}", "name", feature, "bit", (int)bit,
						       "negotiated", on < 0 ? json_null() : json_boolean(on)));
	if (on == 0)
		diag_add(diag, DIAG_CAUSE, "feature-not-negotiated", vm->cfg.name,
			 "%s: the balloon %s did not negotiate %s (bit %u is 0 in the guest's %s): QEMU's "
			 "device was not given %s=on", vm->cfg.name, dev, feature, bit, path.buf, prop);
	else if (on < 0)
		diag_add(diag, DIAG_UNKNOWN, "features-unreadable", vm->cfg.name,
			 "%s: the guest's %s has no bit %u: '%.80s'", vm->cfg.name, path.buf, bit, strbuf_str(&text));
out:
	strbuf_release(&path);
	strbuf_release(&text);
	return diag;
}
