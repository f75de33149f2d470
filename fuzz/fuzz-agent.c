/* fuzz-agent.c — libFuzzer target: the guest-agent reader (guest/agent.c
 * over util/jsonchan.c, guest/agent-cmds.c) fed a guest's side of the
 * socket, and the parsers of what the harness reads from a guest.
 *
 * The input is the byte stream qemu-ga would send.  The first sync is the
 * boot loop's (agent_sync_poll), then agent_sync's.  The sync token is
 * seeded (0: the first guest-sync-delimited asks for 1, the next resync
 * for 2, ...), so a corpus can hold a real exchange: the 0xFF delimiter
 * and {"return": 1}, the guest-file-open handle, guest-file-read chunks
 * ({"buf-b64": ..., "eof": ...}), guest-exec-status ({"exited": true,
 * "out-data": base64, ...}) and guest-exec's {"pid": N}.  The caps are
 * lowered (as the unit tests do) so that inputs of fuzzer size reach them.
 * What was read goes through the parsers the runner uses on it:
 * /proc/meminfo fields, `free -m` output and a workload's result document.
 */
#include "fuzz/peer.h"
#include "guest/agent.h"
#include "guest/guestmem.h"
#include "guest/workload-doc.h"
#include "util/meminfo.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#define T_NS (2ull * 1000000000ull)	/* never waited out: the peer hangs up */

static const struct agent_limits small_limits = {
	.reply = 16384,
	.file = 4096,
	.exec_output = 2048,
};

static void parse_file(const struct strbuf *sb)
{
	long long v;
	json_t *doc = json_loadb(sb->buf ? sb->buf : "", sb->len, 0, NULL);
	char why[256];

	meminfo_text_field(strbuf_str(sb), "MemAvailable", &v);
	if (doc)
		workload_doc_check(doc, why, sizeof(why));
	json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const argv[] = { "free", "-m", NULL };
	struct fuzz_peer p;
	struct agent *a;
	struct strbuf file = STRBUF_INIT;
	struct agent_exec_result res;
	struct free_sample f;
	long long pid = 0;

	fuzz_peer_start(&p, data, size);
	a = agent_new(p.fd, "fuzz");
	agent_set_limits(a, &small_limits);
	agent_set_token_seed(a, 0);
	/* the boot loop's look, then (when it did not sync) the full sync */
	if (agent_sync_poll(a, T_NS) != 1)
		agent_sync(a, T_NS, T_NS);
	if (agent_read_file(a, "/proc/meminfo", &file, T_NS) == 0)
		parse_file(&file);
	strbuf_release(&file);
	agent_spawn(a, argv, T_NS, &pid);
	if (agent_exec_poll(a, pid, T_NS, &res) == 1)
		free_parse(strbuf_str(&res.out), &f);
	agent_exec_result_release(&res);
	agent_free(a);
	fuzz_peer_finish(&p);
	return 0;
}
