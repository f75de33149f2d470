/* kvmparam.c — see kvmparam.h. */
#include "host/kvmparam.h"
#include "host/accel.h"
#include "host/cpu.h"
#include "util/error.h"
#include "util/runcmd.h"
#include "host/sysfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *param, *module, *cpu_flag;
} params[] = {
	{ "ept", "kvm_intel", "ept" },
	{ "vpid", "kvm_intel", "vpid" },
	{ "npt", "kvm_amd", "npt" },
};
#define NPARAMS (sizeof(params) / sizeof(params[0]))

static int find_param(const char *param)
{
	for (size_t i = 0; i < NPARAMS; i++)
		if (!strcmp(params[i].param, param))
			return (int)i;
	return -1;
}

const char *kvmparam_module(const char *param)
{
	int i = find_param(param);

	return i < 0 ? NULL : params[i].module;
}

int kvmparam_path(const char *param, struct strbuf *rel)
{
	int i = find_param(param);

	if (i < 0)
		return ocb_fail("unknown KVM parameter '%s': expected ept, vpid or npt", param);
	strbuf_reset(rel);
	strbuf_addf(rel, "/sys/module/%s/parameters/%s", params[i].module, param);
	return 0;
}

int kvmparam_unusable(const char *root, const char *param, char *why, size_t len)
{
	struct strbuf rel = STRBUF_INIT;
	int i = find_param(param), rc = 1;

	if (i < 0) {
		snprintf(why, len, "unknown KVM parameter '%s'", param);
		return 1;
	}
	if (!kvm_usable(root, why, len))
		goto out;
	strbuf_addf(&rel, "/sys/module/%s", params[i].module);
	if (!sysfs_exists(root, rel.buf)) {
		snprintf(why, len, "%s is not loaded (%s applies to %s hosts)", params[i].module,
			 param, strcmp(params[i].module, "kvm_intel") ? "AMD" : "Intel");
		goto out;
	}
	if (cpu_flag(root, params[i].cpu_flag) != 1) {
		snprintf(why, len, "CPU lacks %s", params[i].cpu_flag);
		goto out;
	}
	kvmparam_path(param, &rel);
	if (!sysfs_exists(root, rel.buf)) {
		snprintf(why, len, "%s has no parameter %s", params[i].module, param);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&rel);
	return rc;
}

long kvmparam_module_users(const char *root, const char *module)
{
	struct strbuf rel = STRBUF_INIT;
	unsigned long long n;
	long rc = -1;

	strbuf_addf(&rel, "/sys/module/%s/refcnt", module);
	if (sysfs_read_u64(root, rel.buf, &n) == 0)
		rc = (long)n;
	strbuf_release(&rel);
	return rc;
}

static int run_modprobe(const char *root, struct strvec *args)
{
	const char *prog = getenv("OCBENCH_MODPROBE");
	struct strvec argv = STRVEC_INIT;
	int rc;

	if (!prog || !*prog) {
		if (root && strcmp(root, "/"))
			return ocb_fail("refusing to run the real modprobe for the fake root %s "
					"(set OCBENCH_MODPROBE)", root);
		prog = "modprobe";
	}
	strvec_push(&argv, prog);
	for (size_t i = 0; i < args->n; i++)
		strvec_push(&argv, args->v[i]);
	rc = run_checked((const char *const *)argv.v, 60ull * 1000000000ull);
	strvec_clear(&argv);
	return rc;
}

int kvmparam_reload(const char *root, const char *param, const char *value)
{
	const char *module = kvmparam_module(param);
	struct strvec unload = STRVEC_INIT, load = STRVEC_INIT;
	struct strbuf rel = STRBUF_INIT, cur = STRBUF_INIT;
	long users;
	int rc = -1;

	if (!module)
		return ocb_fail("unknown KVM parameter '%s': expected ept, vpid or npt", param);
	users = kvmparam_module_users(root, module);
	if (users != 0)
		return ocb_fail("cannot reload %s to set %s=%s: %s", module, param, value,
				users > 0 ? "a VM is running (module in use)"
					  : "cannot read its use count");
	strvec_push(&load, module);
	for (size_t i = 0; i < NPARAMS; i++) {
		if (strcmp(params[i].module, module))
			continue;
		if (!strcmp(params[i].param, param)) {
			strvec_pushf(&load, "%s=%s", param, value);
			continue;
		}
		kvmparam_path(params[i].param, &rel);
		strbuf_reset(&cur);
		if (sysfs_read(root, rel.buf, &cur) == 0)
			strvec_pushf(&load, "%s=%s", params[i].param, cur.buf);
	}
	strvec_push(&unload, "-r");
	strvec_push(&unload, module);
	if (run_modprobe(root, &unload) == 0 && run_modprobe(root, &load) == 0)
		rc = 0;
	strvec_clear(&unload);
	strvec_clear(&load);
	strbuf_release(&rel);
	strbuf_release(&cur);
	return rc;
}

json_t *kvmparam_info(const char *root)
{
	struct strbuf rel = STRBUF_INIT;
	json_t *o = json_object();
	char why[256];
	int usable = kvm_usable(root, why, sizeof(why));

	json_object_set_new(o, "kvm_usable", json_boolean(usable));
	json_object_set_new(o, "kvm_reason", json_string(why));
	for (size_t i = 0; i < NPARAMS; i++) {
		json_t *v;

		kvmparam_path(params[i].param, &rel);
		v = sysfs_json_read(root, rel.buf);
		json_object_set_new(o, params[i].param, v ? v : json_null());
	}
	strbuf_release(&rel);
	return o;
}
