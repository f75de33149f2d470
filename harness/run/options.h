/* options.h — how `ocbench run` asked for a run to be executed: the
 * command-line choices every run of a scenario shares.  Apart from
 * runner.h so that the files of run/ can see them without seeing the
 * runner (no circle). */
#ifndef OCB_RUN_OPTIONS_H
#define OCB_RUN_OPTIONS_H

#include "host/accel.h"

struct run_options {
	const char *backend;		/* "qemu", "libvirt" or "native" */
	const char *uri;		/* --uri: libvirt URI of guests without `uri =` */
	const char *qemu_binary;	/* qemu-system-x86_64 (PATH lookup) */
	enum accel_kind accel;
	const char *image;		/* --image: overrides every guest's image */
	const char *root;		/* host knob root, "/" */
	const char *state_dir;		/* knob journal directory */
	int force;			/* start despite a leftover journal */
	int allow_module_reload;	/* ept/vpid/npt may reload kvm_intel/amd */
	int verbose;
};

#endif
