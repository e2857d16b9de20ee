// SPDX-License-Identifier: GPL-2.0
/*
 * Log lines go to stderr ("2025-06-01T12:00:00.123+0200 ol2tpd: LEVEL:
 * text", local time with its offset) or to syslog, which adds its own
 * time stamps, as the journal does to what a unit writes: under systemd
 * (JOURNAL_STREAM set) stderr lines carry none.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"

static int threshold = LOG_INFO;
static bool to_syslog;
static bool stamps = true;

void log_setup(int level, bool use_syslog)
{
	threshold = level;
	stamps = !getenv("JOURNAL_STREAM") || !*getenv("JOURNAL_STREAM");
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
		struct timespec ts;
		struct tm tm;
		char when[40] = "", zone[8] = "";

		clock_gettime(CLOCK_REALTIME, &ts);
		if (!stamps || !localtime_r(&ts.tv_sec, &tm)) {
			fprintf(stderr, "ol2tpd: %s: ", names[level & 7]);
		} else {
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
			strftime(zone, sizeof(zone), "%z", &tm);
			fprintf(stderr, "%s.%03ld%s ol2tpd: %s: ", when,
				ts.tv_nsec / 1000000, zone, names[level & 7]);
		}
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
