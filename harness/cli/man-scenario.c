/* man-scenario.c — see man-scenario.h. */
#include "cli/man-scenario.h"
#include "cli/roff.h"
#include "cli/run.h"
#include "guest/guest-image.h"
#include "policy/policies.h"
#include "scenario/scenario.h"
#include "workloads/workloads.h"

#include <string.h>

struct key_page {
	struct strbuf *sb;
	const char *section;	/* the .SS last written */
};

static void key_item(const struct scenario_key_info *k, void *arg)
{
	struct key_page *p = arg;
	struct strbuf tag = STRBUF_INIT, body = STRBUF_INIT;

	if (!p->section || strcmp(p->section, k->section)) {
		strbuf_adds(p->sb, ".SS \"");
		roff_code(p->sb, k->section);
		strbuf_adds(p->sb, "\"\n");
		p->section = k->section;
	}
	strbuf_addf(&tag, "%s = %s", k->name, k->value);
	strbuf_addf(&body, "%s (default: %s)", k->help, k->def);
	roff_item(p->sb, tag.buf, body.buf);
	strbuf_release(&tag);
	strbuf_release(&body);
}

/* Each policy's own keys, [policy] POLICY.KEY = VALUE (policy/policies.c). */
static void policy_keys(struct strbuf *sb)
{
	strbuf_adds(sb, ".SS \"[policy] POLICY.KEY\"\n");
	roff_text(sb, "A policy's own keys, read when that policy runs (ocbench policy list):");
	for (size_t i = 0; i < policy_count(); i++) {
		const struct policy_ops *o = policy_at(i);

		for (size_t k = 0; o->params && o->params[k].name; k++) {
			struct strbuf tag = STRBUF_INIT, body = STRBUF_INIT;

			strbuf_addf(&tag, "%s.%s = VALUE", o->name, o->params[k].name);
			strbuf_addf(&body, "%s (default: %g)", o->params[k].help, o->params[k].def);
			roff_item(sb, tag.buf, body.buf);
			strbuf_release(&tag);
			strbuf_release(&body);
		}
	}
}

static void actions(struct strbuf *sb)
{
	roff_section(sb, "TIMELINE");
	roff_text(sb, "Each line of [timeline] is TIME = ACTION[, ACTION...]: TIME from the start "
		      "of the run (the moment every guest's agent has answered), e.g. 0s, 1.5s, "
		      "2m.  GLOB is an fnmatch(3) pattern over guest names (light-*).  An action "
		      "runs at its time or, when the one before ran past it, as soon as it can.  "
		      "The actions:");
	for (size_t i = 0; i < timeline_action_count(); i++) {
		const struct timeline_action *a = timeline_action_at(i);

		roff_item(sb, a->usage, a->help);
	}
}

static void workloads(struct strbuf *sb)
{
#define WL_ITEM(name, help) roff_item(sb, #name, help);
	roff_section(sb, "WORKLOADS");
	roff_text(sb, "The programs a guest's `workload =` may run (PROGRAM ARGS...), shipped in "
		      "the default guest and run on the host by ocbench run --native; each writes "
		      "its histograms as workload.json (schema ocbench.workload/1):");
	OCB_WORKLOADS(WL_ITEM)
#undef WL_ITEM
}

static const char example[] =
	".nf\n"
	"[scenario]\n"
	"name = quickstart\n"
	"description = One guest, balloon 2048 \\-> 512 \\-> 2048 MiB\n"
	"\n"
	"[guest guest]\n"
	"memory = 2048M\n"
	"balloon = virtio\n"
	"\n"
	"[timeline]\n"
	"0s = free guest\\-*, balloon guest\\-* 512M, wait balloon guest\\-* timeout 60s\n"
	"0s = balloon guest\\-* 2048M, wait balloon guest\\-* timeout 60s, free guest\\-*\n"
	".fi\n";

void man_scenario_page(struct strbuf *sb)
{
	struct key_page kp = { sb, NULL };

	roff_header(sb, "ocbench-scenario", 5, "the scenario file of ocbench run");
	roff_section(sb, "SYNOPSIS");
	strbuf_adds(sb, ".B ocbench run\n.I SCENARIO.ini\n");
	roff_section(sb, "DESCRIPTION");
	roff_text(sb, "A scenario is an INI file: a [scenario] section, one [guest NAME] section per "
		      "guest, [host] knobs (journaled and restored after the run), a [timeline], "
		      "and optionally [matrix], [quick] and [report].  A key that is not in the "
		      "tables below is an error with the closest key suggested; sizes take K, M, G "
		      "suffixes (a bare number is the unit the key states), durations ms, s, m, h.  "
		      "ocbench run --list-keys prints the same tables.");
	roff_section(sb, "KEYS");
	scenario_each_key(run_scenario_hooks(), key_item, &kp);
	policy_keys(sb);
	actions(sb);
	roff_section(sb, "MATRIX AND QUICK");
	roff_item(sb, "[matrix] SECTION.KEY = V1, V2, ...",
		  "one run per combination of the values (scenario.KEY, host.KEY, guest.NAME.KEY)");
	roff_item(sb, "[quick] SECTION.KEY = VALUE",
		  "applied with ocbench run --quick, before [matrix]; timeline.TIME = ACTIONS lines "
		  "replace the whole [timeline]");
	workloads(sb);
	roff_section(sb, "EXAMPLE");
	strbuf_adds(sb, example);
	roff_section(sb, "FILES");
	strbuf_addf(sb, ".TP\n.I %s/scenarios\n", guest_data_dir());
	roff_text(sb, "the shipped scenarios; quickstart.ini is the first");
	roff_section(sb, "SEE ALSO");
	strbuf_adds(sb, ".BR ocbench (1),\n.BR ocbench\\-run (1)\n");
}
