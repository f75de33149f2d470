/* accel.c — see accel.h. */
#include "host/accel.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void root_path(const char *root, const char *rel, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_adds(out, (root && strcmp(root, "/") != 0) ? root : "");
	strbuf_adds(out, rel);
}

/* Does the "flags" line of /proc/cpuinfo list this word? */
static int cpu_has_flag(const struct strbuf *cpuinfo, const char *flag)
{
	const char *line = strstr(strbuf_str(cpuinfo), "\nflags");
	size_t flen = strlen(flag);

	if (!line)
		return 0;
	line = strchr(line, ':');
	for (const char *p = line; p && *p && *p != '\n'; p++) {
		if (p[-1] != ' ' && p[-1] != ':' && p[-1] != '\t')
			continue;
		if (!strncmp(p, flag, flen) && (p[flen] == ' ' || p[flen] == '\n' || p[flen] == '\0'))
			return 1;
	}
	return 0;
}

int kvm_usable(const char *root, char *why, size_t len)
{
	struct strbuf path = STRBUF_INIT, cpuinfo = STRBUF_INIT;
	int has_vmx, has_svm, ok = 0, fd;

	root_path(root, "/dev/kvm", &path);
	fd = open(path.buf, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "no usable /dev/kvm (%s cannot be opened)", path.buf);
		goto out;
	}
	close(fd);

	cpuinfo.len = 0;
	root_path(root, "/proc/cpuinfo", &path);
	strbuf_addch(&cpuinfo, '\n');
	if (read_file(path.buf, &cpuinfo) < 0) {
		snprintf(why, len, "cannot read %s", path.buf);
		goto out;
	}
	has_vmx = cpu_has_flag(&cpuinfo, "vmx");
	has_svm = cpu_has_flag(&cpuinfo, "svm");
	if (!has_vmx && !has_svm) {
		root_path(root, "/sys/module/kvm_pvm", &path);
		if (path_exists(path.buf))
			snprintf(why, len, "/dev/kvm is kvm_pvm (paravirtualized nested KVM), CPU has no vmx/svm");
		else
			snprintf(why, len, "CPU has no vmx/svm flag: no hardware virtualization");
		goto out;
	}
	root_path(root, has_vmx ? "/sys/module/kvm_intel" : "/sys/module/kvm_amd", &path);
	if (!path_exists(path.buf)) {
		snprintf(why, len, "CPU has %s but %s is not loaded", has_vmx ? "vmx" : "svm",
			 has_vmx ? "kvm_intel" : "kvm_amd");
		goto out;
	}
	snprintf(why, len, "/dev/kvm opens, CPU has %s, %s loaded", has_vmx ? "vmx" : "svm",
		 has_vmx ? "kvm_intel" : "kvm_amd");
	ok = 1;
out:
	strbuf_release(&path);
	strbuf_release(&cpuinfo);
	return ok;
}

int accel_parse(const char *s, enum accel_kind *kind)
{
	if (!strcmp(s, "auto"))
		*kind = ACCEL_AUTO;
	else if (!strcmp(s, "kvm"))
		*kind = ACCEL_KVM;
	else if (!strcmp(s, "tcg"))
		*kind = ACCEL_TCG;
	else
		return ocb_fail("invalid accelerator '%s': expected auto, kvm or tcg", s);
	return 0;
}

int accel_choose(const char *root, enum accel_kind want, struct accel_choice *out)
{
	char why[200];
	int usable;

	if (want == ACCEL_TCG) {
		out->kind = ACCEL_TCG;
		snprintf(out->reason, sizeof(out->reason), "tcg requested");
		return 0;
	}
	usable = kvm_usable(root, why, sizeof(why));
	if (want == ACCEL_KVM && !usable)
		return ocb_fail("--accel kvm requested but KVM is not usable: %s", why);
	out->kind = usable ? ACCEL_KVM : ACCEL_TCG;
	snprintf(out->reason, sizeof(out->reason), "%s: %s",
		 want == ACCEL_KVM ? "kvm requested" : "auto", why);
	return 0;
}

const char *accel_name(enum accel_kind kind)
{
	switch (kind) {
	case ACCEL_KVM: return "kvm";
	case ACCEL_TCG: return "tcg";
	case ACCEL_NATIVE: return "native";
	default: return "auto";
	}
}
