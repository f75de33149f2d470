/* Unit tests: the host fingerprint (hostinfo.c, cpu.c, hugetlb.c, swap.c)
 * on fake trees and on this machine, and `ocbench host` when $OCBENCH is
 * set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "fake-sysfs.h"
#include "host/hostinfo.h"
#include "knobs/knobs.h"
#include "util/runcmd.h"

static json_t *at(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	return b ? json_object_get(v, b) : v;
}

static void test_fake_intel(void **state)
{
	char root[64];
	json_t *h, *pools, *p2m;

	(void)state;
	fake_root_new(root, sizeof(root));
	fake_host(root, FAKE_ALL | FAKE_UKSM | FAKE_KVM_INTEL);
	h = knob_host_fingerprint(root);
	assert_string_equal(json_string_value(at(h, "kernel", NULL)), "6.1.0-fake");
	assert_string_equal(json_string_value(at(at(h, "cpu", NULL), "vendor", NULL)), "GenuineIntel");
	assert_true(json_is_true(at(at(h, "cpu", NULL), "flags", "vmx")));
	assert_true(json_is_true(at(at(h, "cpu", NULL), "flags", "ept")));
	assert_false(json_is_true(at(at(h, "cpu", NULL), "flags", "npt")));
	assert_true(json_is_true(at(h, "kvm", "kvm_usable")));
	assert_string_equal(json_string_value(at(h, "kvm", "ept")), "Y");
	assert_true(json_is_null(at(h, "kvm", "npt")));
	assert_int_equal(json_integer_value(at(h, "ksm", "pages_to_scan")), 100);
	assert_string_equal(json_string_value(at(h, "ksm", "advisor_mode")), "none");
	assert_string_equal(json_string_value(at(h, "uksm", "cpu_governor")), "low");
	assert_string_equal(json_string_value(at(h, "thp", "enabled")), "madvise");
	assert_int_equal(json_integer_value(at(at(h, "thp", NULL), "khugepaged", "max_ptes_none")), 511);
	pools = at(h, "hugetlb", NULL);
	assert_int_equal(json_array_size(pools), 2);
	p2m = json_array_get(pools, 0);
	assert_string_equal(json_string_value(json_object_get(p2m, "size")), "2M");
	assert_non_null(at(json_object_get(p2m, "nodes"), "node1", "nr_hugepages"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(pools, 1), "size")), "1G");
	assert_int_equal(json_array_size(at(h, "numa", NULL)), 2);
	assert_int_equal(json_integer_value(at(h, "swap", "total_kib")), 1048576);
	assert_int_equal(json_integer_value(at(h, "swap", "used_kib")), 524288);
	assert_int_equal(json_integer_value(at(h, "swap", "swappiness")), 60);
	assert_int_equal(json_integer_value(at(h, "memory_kib", NULL)), 8192000);
	json_decref(h);
	remove_tree(root);
}

/* Nothing there at all: still a fingerprint, with the gaps said. */
static void test_fake_bare(void **state)
{
	char root[64];
	json_t *h;

	(void)state;
	fake_root_new(root, sizeof(root));
	fake_host(root, FAKE_KVM_PVM);
	h = knob_host_fingerprint(root);
	assert_true(json_is_null(at(h, "ksm", NULL)));
	assert_true(json_is_null(at(h, "uksm", NULL)));
	assert_true(json_is_null(at(h, "thp", NULL)));
	assert_int_equal(json_array_size(at(h, "hugetlb", NULL)), 0);
	assert_false(json_is_true(at(h, "kvm", "kvm_usable")));
	assert_non_null(strstr(json_string_value(at(h, "kvm", "kvm_reason")), "kvm_pvm"));
	json_decref(h);
	remove_tree(root);
}

static void test_this_host(void **state)
{
	json_t *h;
	const char *reason;

	(void)state;
	h = knob_host_fingerprint("/");
	assert_non_null(json_string_value(at(h, "kernel", NULL)));
	assert_non_null(json_string_value(at(at(h, "cpu", NULL), "vendor", NULL)));
	assert_true(json_integer_value(at(at(h, "cpu", NULL), "threads", NULL)) >= 1);
	reason = json_string_value(at(h, "kvm", "kvm_reason"));
	assert_non_null(reason);
	print_message("this host: kvm %s (%s), qemu %s, libvirt %s\n",
		      json_is_true(at(h, "kvm", "kvm_usable")) ? "usable" : "not usable", reason,
		      json_string_value(at(h, "qemu", NULL)) ? json_string_value(at(h, "qemu", NULL)) : "-",
		      json_string_value(at(h, "libvirt", NULL)) ? json_string_value(at(h, "libvirt", NULL)) : "-");
	json_decref(h);
}

static void test_cmd_host(void **state)
{
	const char *bin = getenv("OCBENCH");
	struct strbuf out = STRBUF_INIT;
	json_error_t err;
	char root[64];
	json_t *h;

	(void)state;
	if (!bin || access(bin, X_OK) != 0) {
		print_message("SKIP: $OCBENCH (the ocbench binary) is not set or not executable\n");
		skip();
	}
	fake_root_new(root, sizeof(root));
	fake_host(root, FAKE_ALL | FAKE_KVM_AMD);
	{
		const char *argv[] = { bin, "host", "--json", "--root", root, NULL };

		assert_int_equal(run_capture(argv, &out, 60ull * 1000000000ull), 0);
	}
	h = json_loads(out.buf, 0, &err);
	assert_non_null(h);
	assert_string_equal(json_string_value(at(h, "kvm", "npt")), "Y");
	json_decref(h);
	strbuf_reset(&out);
	{
		const char *argv[] = { bin, "host", "--root", root, NULL };

		assert_int_equal(run_capture(argv, &out, 60ull * 1000000000ull), 0);
	}
	assert_non_null(strstr(out.buf, "KVM        usable"));
	assert_non_null(strstr(out.buf, "UKSM       not in this kernel"));
	strbuf_reset(&out);
	{
		const char *argv[] = { bin, "host", "--bogus", NULL };

		assert_int_equal(run_capture(argv, &out, 60ull * 1000000000ull), 2);
	}
	strbuf_release(&out);
	remove_tree(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fake_intel),
		cmocka_unit_test(test_fake_bare),
		cmocka_unit_test(test_this_host),
		cmocka_unit_test(test_cmd_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
