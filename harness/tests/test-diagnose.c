/* Unit tests of the diagnoses (host/ksm-diagnose, host/thp-diagnose,
 * host/smaps, vm/balloon-diagnose's /proc/interrupts reader) on a fake
 * host tree: each cause is found from the facts that make it, and a
 * healthy guest gets none. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-sysfs.h"
#include "host/diagnosis.h"
#include "host/ksm-diagnose.h"
#include "host/smaps.h"
#include "host/thp-diagnose.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "vm/balloon-diagnose.h"
#include "vm/vm.h"

/* A TCG QEMU's big mappings: its 1 GiB code buffer (executable) and a
 * 512 MiB guest RAM block with the given path and VmFlags. */
static void write_smaps(const char *root, long pid, const char *path, const char *flags, int page_kib)
{
	char rel[64], text[2048];

	snprintf(text, sizeof(text),
		 "55d0c0000000-55d0c0001000 r--p 00000000 08:01 123   /usr/bin/qemu-system-x86_64\n"
		 "Size:                  4 kB\nKernelPageSize:        4 kB\nRss:                   4 kB\n"
		 "VmFlags: rd mr mw me dw\n"
		 "7ff3dfe00000-7ff3ffe00000 rw-p 00000000 00:00 0   %s\n"
		 "Size:             524288 kB\nKernelPageSize:        %d kB\nRss:              116736 kB\n"
		 "Anonymous:        116736 kB\nAnonHugePages:    116736 kB\nVmFlags: %s\n"
		 "7ff408000000-7ff447fff000 rwxp 00000000 00:00 0 \n"
		 "Size:            1048572 kB\nKernelPageSize:        4 kB\nRss:               47104 kB\n"
		 "AnonHugePages:     47104 kB\nVmFlags: rd wr ex mr mw me ac hg \n",
		 path, page_kib, flags);
	snprintf(rel, sizeof(rel), "/proc/%ld/smaps", pid);
	fake_write(root, rel, text);
}

static void test_smaps_finds_guest_ram(void **state)
{
	char root[64];
	struct smaps_mapping m;

	(void)state;
	fake_root_new(root, sizeof(root));
	write_smaps(root, 10, "", "rd wr mr mw me dc ac hg mg", 4);
	assert_int_equal(smaps_guest_ram(root, 10, 512ull << 20, &m), 0);
	assert_true(m.start == 0x7ff3dfe00000ull);
	assert_int_equal(m.size_kib, 524288);
	assert_int_equal(m.anon_huge_kib, 116736);
	assert_true(smaps_flag(&m, "mg") && smaps_flag(&m, "hg") && !smaps_flag(&m, "m"));
	assert_true(smaps_is_anonymous(&m) && !smaps_is_hugetlb(&m));
	/* 1 GiB of RAM: the code buffer is as big but executable */
	assert_int_equal(smaps_guest_ram(root, 10, 1ull << 30, &m), -1);
	assert_non_null(strstr(ocb_errmsg(), "/proc/10/smaps: no mapping of at least 1024 MiB"));
	remove_tree(root);
}

static json_t *ksm_of(const char *root, long pa, long pb)
{
	const struct ksm_diag_guest g[] = { { "ksm-a", (pid_t)pa, 512ull << 20 }, { "ksm-b", (pid_t)pb, 512ull << 20 } };

	return ksm_diagnose(root, g, 2);
}

static void test_ksm_causes(void **state)
{
	char root[64];
	struct strbuf t = STRBUF_INIT;
	json_t *d;

	(void)state;
	fake_root_new(root, sizeof(root));
	fake_host(root, FAKE_KSM);
	fake_write(root, "/sys/kernel/mm/ksm/run", "1\n");
	write_smaps(root, 10, "", "rd wr mr mw me dc ac hg mg", 4);
	write_smaps(root, 11, "", "rd wr mr mw me dc ac hg mg", 4);
	d = ksm_of(root, 10, 11);
	assert_int_equal(diag_count(d, NULL), 0);
	assert_int_equal(diag_text(d, &t), 0);
	assert_string_equal(t.buf, "no cause found");
	json_decref(d);

	/* mem-merge=off on one guest, and KSM stopped */
	write_smaps(root, 11, "", "rd wr mr mw me dc ac hg", 4);
	fake_write(root, "/sys/kernel/mm/ksm/run", "0\n");
	d = ksm_of(root, 10, 11);
	strbuf_reset(&t);
	assert_int_equal(diag_text(d, &t), 2);
	print_message("%s\n", t.buf);
	assert_true(diag_has(d, "ksm-not-running") && diag_has(d, "ram-not-mergeable"));
	assert_non_null(strstr(t.buf, "KSM is not running: /sys/kernel/mm/ksm/run is 0"));
	assert_non_null(strstr(t.buf, "ksm-b: QEMU's guest RAM is not mergeable: no 'mg' in the VmFlags"));
	assert_non_null(strstr(t.buf, "mem-merge=off"));
	assert_null(strstr(t.buf, "ksm-a:"));
	json_decref(d);

	/* hugetlb-backed; a QEMU that is not here; chains; smart scan */
	fake_write(root, "/sys/kernel/mm/ksm/run", "1\n");
	fake_write(root, "/sys/kernel/mm/ksm/stable_node_chains", "12\n");
	fake_write(root, "/sys/kernel/mm/ksm/smart_scan", "1\n");
	write_smaps(root, 10, "/tmp/h/qemu_back_mem.ram0.x (deleted)", "rd wr mr mw me dc ac ht mg", 2048);
	d = ksm_of(root, 10, -1);
	strbuf_reset(&t);
	assert_int_equal(diag_text(d, &t), 1);
	print_message("%s\n", t.buf);
	assert_true(diag_has(d, "ram-hugetlb") && diag_has(d, "ram-not-inspected") &&
		    diag_has(d, "max-page-sharing") && diag_has(d, "smart-scan"));
	/* the cause alone in the text; the factors stay in the object */
	assert_null(strstr(t.buf, "max_page_sharing"));
	json_decref(d);
	write_smaps(root, 10, "", "rd wr mr mw me dc ac hg mg", 4);
	d = ksm_of(root, 10, -1);
	strbuf_reset(&t);
	assert_int_equal(diag_text(d, &t), 0);
	print_message("%s\n", t.buf);
	assert_true(!strncmp(t.buf, "no cause found; max_page_sharing (256) reached by 12 KSM pages", 62));
	assert_non_null(strstr(t.buf, "; smart_scan is on"));
	assert_non_null(strstr(t.buf, "; ksm-b: its QEMU is not a process on this host"));
	json_decref(d);
	strbuf_release(&t);
	remove_tree(root);
}

static void test_ksm_across_nodes(void **state)
{
	char root[64];
	json_t *d;

	(void)state;
	fake_root_new(root, sizeof(root));
	fake_host(root, FAKE_KSM);
	fake_write(root, "/sys/kernel/mm/ksm/run", "1\n");
	write_smaps(root, 10, "", "rd wr mr mw me dc ac hg mg", 4);
	write_smaps(root, 11, "", "rd wr mr mw me dc ac hg mg", 4);
	fake_write(root, "/proc/10/numa_maps", "7ff3dfe00000 default anon=100 dirty=100 N0=100 kernelpagesize_kB=4\n");
	fake_write(root, "/proc/11/numa_maps", "7ff3dfe00000 default anon=100 dirty=100 N1=100 kernelpagesize_kB=4\n");
	d = ksm_of(root, 10, 11);
	assert_false(diag_has(d, "merge-across-nodes"));	/* merging across nodes is allowed */
	json_decref(d);
	fake_write(root, "/sys/kernel/mm/ksm/merge_across_nodes", "0\n");
	d = ksm_of(root, 10, 11);
	assert_true(diag_has(d, "merge-across-nodes"));
	assert_int_equal(json_integer_value(json_array_get(json_object_get(json_object_get(json_object_get(d, "guests"),
							 "ksm-b"), "numa_nodes"), 0)), 1);
	json_decref(d);
	remove_tree(root);
}

static void test_thp_causes(void **state)
{
	char root[64];
	struct strbuf t = STRBUF_INIT;
	json_t *d;

	(void)state;
	fake_root_new(root, sizeof(root));
	fake_host(root, FAKE_THP);
	fake_write(root, "/proc/10/status", "Name:\tqemu\nTHP_enabled:\t1\n");
	write_smaps(root, 10, "", "rd wr mr mw me dc ac hg mg", 4);
	d = thp_diagnose(root, "thp-always", 10, 512ull << 20);
	assert_int_equal(diag_count(d, NULL), 0);
	json_decref(d);

	write_smaps(root, 10, "", "rd wr mr mw me dc ac mg", 4);
	d = thp_diagnose(root, "thp-always", 10, 512ull << 20);
	assert_true(diag_has(d, "ram-not-madvised"));	/* enabled = madvise in the fake */
	json_decref(d);

	fake_write(root, "/sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n");
	fake_write(root, "/sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan", "0\n");
	fake_write(root, "/proc/10/status", "Name:\tqemu\nTHP_enabled:\t0\n");
	write_smaps(root, 10, "/tmp/qemu_back_mem.pc.ram.Ab12 (deleted)", "rd wr mr mw me ac", 4);
	d = thp_diagnose(root, "thp-always", 10, 512ull << 20);
	assert_int_equal(diag_text(d, &t), 2);
	print_message("%s\n", t.buf);
	assert_true(diag_has(d, "ram-not-anonymous") && diag_has(d, "thp-disabled-process") &&
		    diag_has(d, "khugepaged-off"));
	assert_non_null(strstr(t.buf, "is not anonymous memory"));
	assert_non_null(strstr(t.buf, "/tmp/qemu_back_mem.pc.ram.Ab12 (deleted)"));
	json_decref(d);

	fake_write(root, "/sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]\n");
	d = thp_diagnose(root, "thp-always", -1, 512ull << 20);
	assert_true(diag_has(d, "thp-never") && diag_has(d, "ram-not-inspected"));
	json_decref(d);
	strbuf_release(&t);
	remove_tree(root);
}

static void test_balloon_interrupts(void **state)
{
	static const char text[] =
		"           CPU0       CPU1\n"
		"  0:        518          3   IO-APIC   2-edge      timer\n"
		" 10:          0          0   IO-APIC  10-edge      virtio0\n"
		" 11:          7          0   IO-APIC  11-fasteoi   virtio10, uhci_hcd:usb1\n"
		" 24:          2          1   PCI-MSI 65536-edge      virtio1-config\n"
		" 25:         23          4   PCI-MSI 65537-edge      virtio1-virtqueues\n"
		"NMI:          0          0   Non-maskable interrupts\n";
	char irq[64];

	(void)state;
	assert_int_equal(balloon_irq_count(text, "virtio0", irq, sizeof(irq)), 0);
	assert_string_equal(irq, "10");
	assert_int_equal(balloon_irq_count(text, "virtio1", irq, sizeof(irq)), 30);
	assert_string_equal(irq, "24,25");
	assert_int_equal(balloon_irq_count(text, "virtio10", irq, sizeof(irq)), 7);
	assert_int_equal(balloon_irq_count(text, "virtio2", irq, sizeof(irq)), -1);
}

/* A guest whose `ls` lists names made to be paths: what it reads must
 * stay the virtio devices' own files. */
static struct strbuf hostile_reads = STRBUF_INIT;

static int hostile_exec(struct vm *vm, const char *const *argv, uint64_t t, struct agent_exec_result *res)
{
	(void)vm;
	(void)t;
	memset(res, 0, sizeof(*res));
	res->exited = 1;
	if (!strcmp(argv[1], "/sys/bus/virtio/devices"))
		strbuf_adds(&res->out, "../../../../etc/shadow\nvirtio0/../../../../root/.ssh/id_rsa\n"
			    "virtio9999999\n..\nvirtio\nvirtio1x\n%s%n\nvirtio0\n");
	else
		strbuf_adds(&res->out, "bind\nvirtio0\n");
	return 0;
}

static int hostile_read(struct vm *vm, const char *path, struct strbuf *out, uint64_t t)
{
	(void)vm;
	(void)t;
	strbuf_addf(&hostile_reads, "%s\n", path);
	if (!strcmp(path, "/sys/bus/virtio/devices/virtio0/device"))
		strbuf_adds(out, "0x0005\n");
	else if (!strcmp(path, "/proc/interrupts"))
		strbuf_adds(out, " 10:  99  IO-APIC  10-edge      virtio0\n");
	else
		strbuf_adds(out, "\xff\xfe secret\n");	/* what a path outside would give */
	return 0;
}

static void test_balloon_guest_names_stay_names(void **state)
{
	struct vm_backend_ops ops = { .name = "hostile", .agent_exec = hostile_exec,
				      .agent_read_file = hostile_read };
	struct vm vm = { .ops = &ops };
	json_t *d;

	(void)state;
	snprintf(vm.cfg.name, sizeof(vm.cfg.name), "guest-1");
	d = balloon_diagnose(&vm, 1000000000ull);
	assert_string_equal(hostile_reads.buf, "/sys/bus/virtio/devices/virtio0/device\n/proc/interrupts\n");
	assert_int_equal(json_object_size(json_object_get(d, "virtio_devices")), 1);
	assert_string_equal(json_string_value(json_object_get(d, "balloon_device")), "virtio0");
	assert_int_equal(diag_count(d, NULL), 0);
	json_decref(d);
	strbuf_release(&hostile_reads);
	assert_true(balloon_virtio_name_ok("virtio12"));
	assert_false(balloon_virtio_name_ok("virtio"));
	assert_false(balloon_virtio_name_ok("virtio1/.."));
	assert_false(balloon_virtio_name_ok("../virtio1"));
	assert_false(balloon_virtio_name_ok("virtio1234567"));
}

/* The guest's features file: one character a bit, bit 0 first. */
static void test_balloon_feature_bits(void **state)
{
	/* what a 6.1 guest shows for a balloon with stats, deflate-on-oom
	 * and free page reporting (bits 1, 2, 5, then VERSION_1 at 32) */
	const char *f = "0110010000000000000000000000000010000000000000000000000000000000\n";

	(void)state;
	assert_int_equal(balloon_feature_bit(f, BALLOON_F_DEFLATE_ON_OOM), 1);
	assert_int_equal(balloon_feature_bit(f, BALLOON_F_REPORTING), 1);
	assert_int_equal(balloon_feature_bit(f, 3), 0);
	assert_int_equal(balloon_feature_bit(f, 0), 0);
	assert_int_equal(balloon_feature_bit(f, 63), 0);
	assert_int_equal(balloon_feature_bit(f, 64), -1);	/* the newline is no bit */
	assert_int_equal(balloon_feature_bit("01", 2), -1);
	assert_int_equal(balloon_feature_bit("0x2", 1), -1);
	assert_int_equal(balloon_feature_bit("", 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smaps_finds_guest_ram),
		cmocka_unit_test(test_ksm_causes),
		cmocka_unit_test(test_ksm_across_nodes),
		cmocka_unit_test(test_thp_causes),
		cmocka_unit_test(test_balloon_interrupts),
		cmocka_unit_test(test_balloon_guest_names_stay_names),
		cmocka_unit_test(test_balloon_feature_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
