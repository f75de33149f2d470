/* complete.h — shell completion driven by the binary: `ocbench
 * __complete CWORD WORD...` prints the candidates for word CWORD of the
 * command line WORD... (WORD 0 is ocbench itself), one a line, from the
 * same tables as --help: the commands, their options (cli/opts.h), the
 * values an option takes (suites, check ids, backends, scenario keys,
 * compare's fields, fixed words).  A line starting with '@' asks the
 * shell for names of files instead: @file, @dir, @ini (scenario files and
 * directories), @results (directories and .json files).
 *
 * The bash script dist/bash-completion/ocbench is a thin wrapper around
 * it.  The value of --opt=VALUE is completed on its own (bash breaks the
 * word at '='); a comma list (--suite a,b) is completed whole.
 */
#ifndef OCB_CLI_COMPLETE_H
#define OCB_CLI_COMPLETE_H

#include "util/strbuf.h"

/* The candidates for words[cword] (words[0] is the program), one a line,
 * into out. */
void cli_complete(int cword, const char *const *words, int nwords, struct strbuf *out);

/* ocbench __complete CWORD WORD... */
int cmd_complete(int argc, char **argv);

#endif
