/* SPDX-License-Identifier: GPL-2.0 */
/* Logging to stderr or syslog, with a level threshold. */
#ifndef OL2TPD_LOG_H
#define OL2TPD_LOG_H

#include <stdbool.h>
#include <syslog.h>

void log_setup(int level, bool use_syslog);
void logmsg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* OL2TPD_LOG_H */
