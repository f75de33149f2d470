/* report-opts.h — what a report is told besides its results: the
 * scenario's own words (cli/report.c reads them from the scenario file).
 * Apart from report.h so the report's sections see it without seeing
 * report_write(). */
#ifndef OCB_REPORT_OPTS_H
#define OCB_REPORT_OPTS_H

struct report_opts {
	const char *headline;		/* the scenario's [report] headline; NULL: the default */
	const char *description;	/* the scenario's description (its question); may be NULL */
};

#endif
