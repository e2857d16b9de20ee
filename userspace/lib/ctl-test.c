// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the control socket's word syntax: what ol2tp_ctl_quote()
 * writes, ol2tp_ctl_split() reads back byte for byte (quotes, backslashes,
 * newlines, control and 8-bit bytes); plain words stay plain; malformed
 * lines are refused.  TAP output.
 */
#include <stdlib.h>
#include <string.h>

#include "ol2tp-ctl.h"

#include "../tests/tap.h"


static void round_trip(const char *s, const char *what)
{
	struct ol2tp_ctl_word w[8];
	char *buf = NULL, *copy;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int k;

	fputs("peer x peer-host ", f);
	ol2tp_ctl_quote(f, s);
	fputs(" sessions 2\n", f);
	fclose(f);
	ok(strchr(buf, '\n') == buf + len - 1, "quoted word stays on one line");
	copy = strdup(buf);
	ok(ol2tp_ctl_split(copy, w, 4) == -1, "more words than room: refused");
	free(copy);
	k = ol2tp_ctl_split(buf, w, 8);
	ok(k == 6 && w[3].quoted && !strcmp(w[3].s, s) && !w[5].quoted &&
	   !strcmp(w[5].s, "2"), "%s", what);
	free(buf);
}

static void refused(const char *line, const char *what)
{
	struct ol2tp_ctl_word w[8];
	char *buf = strdup(line);

	ok(ol2tp_ctl_split(buf, w, 8) == -1, "%s", what);
	free(buf);
}

int main(void)
{
	struct ol2tp_ctl_word w[8];
	char line[] = "session pw peer other  type ppp\tstate established\n";

	tap_start();
	ok(ol2tp_ctl_split(line, w, 8) == 8 && !strcmp(w[0].s, "session") &&
	   !strcmp(w[1].s, "pw") && !strcmp(w[5].s, "ppp") &&
	   !strcmp(w[7].s, "established") && !w[7].quoted,
	   "plain words split on blanks, the newline dropped");
	round_trip("lcce-b", "plain host name round trips");
	round_trip("", "empty string round trips");
	round_trip("a \"quoted\" \\ name", "quotes and backslashes round trip");
	round_trip("evil\npeer fake state established",
		   "a newline cannot forge a line");
	round_trip("\x01\x1f\x7f\xc3\xa9\t", "control and 8-bit bytes round trip");
	refused("peer x peer-host \"unterminated", "unterminated quote refused");
	refused("peer x peer-host \"bad \\q escape\"", "unknown escape refused");
	refused("peer x peer-host \"nul \\x00\"", "NUL escape refused");
	refused("peer x peer-host \"a\"b", "text glued to a quote refused");
	refused("peer x a\"b", "quote inside a plain word refused");
	return tap_done();
}
