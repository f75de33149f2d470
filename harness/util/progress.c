/* progress.c — see progress.h. */
#include "util/progress.h"
#include "util/printable.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int tty = -1;
static size_t run_i, run_n, guests_up, guests_total;
static char matrix_desc[256];
static char phase[512];
static double phase_t;
static int status_shown;

void progress_init(void)
{
	const char *ci = getenv("CI");

	tty = isatty(STDOUT_FILENO) && !(ci && *ci && strcmp(ci, "false") && strcmp(ci, "0"));
}

int progress_is_tty(void)
{
	if (tty < 0)
		progress_init();
	return tty;
}

static int columns(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return 80;
}

static void draw_status(void)
{
	char line[1024];
	int w = columns() - 1;

	snprintf(line, sizeof(line), "run %zu/%zu%s%s | %6.1fs | guests %zu/%zu up | %s", run_i, run_n,
		 matrix_desc[0] ? " " : "", matrix_desc, phase_t, guests_up, guests_total, phase);
	printf("\r\033[K%.*s", w, line);
	fflush(stdout);
	status_shown = 1;
}

static void clear_status(void)
{
	if (status_shown) {
		printf("\r\033[K");
		status_shown = 0;
	}
}

void progress_run(size_t i, size_t n, const char *matrix)
{
	run_i = i;
	run_n = n;
	guests_up = guests_total = 0;
	phase[0] = '\0';
	phase_t = 0;
	snprintf(matrix_desc, sizeof(matrix_desc), "%s", matrix ? matrix : "");
}

void progress_guests(size_t up, size_t total)
{
	guests_up = up;
	guests_total = total;
}

void progress_phase(double t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printable_vformat(phase, sizeof(phase), fmt, ap);	/* it may quote a guest */
	va_end(ap);
	phase_t = t;
	if (progress_is_tty()) {
		draw_status();
	} else {
		char stamp[16];
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		printf("%s [%7.2fs] %s\n", stamp, t, phase);
	}
}

void progress_line(const char *fmt, ...)
{
	char line[4096];
	va_list ap;

	va_start(ap, fmt);
	printable_vformat(line, sizeof(line), fmt, ap);	/* a run's reason may quote a guest */
	va_end(ap);
	if (progress_is_tty())
		clear_status();
	fputs(line, stdout);
	putchar('\n');
	fflush(stdout);
}

void progress_end_run(void)
{
	if (progress_is_tty() && status_shown) {
		putchar('\n');
		status_shown = 0;
	}
}
