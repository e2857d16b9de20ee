// SPDX-License-Identifier: GPL-2.0
/*
 * Log lines go to stderr ("ol2tpd: LEVEL: text") or to syslog.
 */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static int threshold = LOG_INFO;
static bool to_syslog;

void log_setup(int level, bool use_syslog)
{
	threshold = level;
	if (use_syslog && !to_syslog)
		openlog("ol2tpd", LOG_PID, LOG_DAEMON);
	else if (!use_syslog && to_syslog)
		closelog();
	to_syslog = use_syslog;
}

void logmsg(int level, const char *fmt, ...)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "error", "warning", "notice", "info",
		"debug",
	};
	va_list ap;

	if (level > threshold)
		return;
	va_start(ap, fmt);
	if (to_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		fprintf(stderr, "ol2tpd: %s: ", names[level & 7]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
