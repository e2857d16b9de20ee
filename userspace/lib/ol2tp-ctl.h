/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ol2tp-ctl: the client side of ol2tpd's Unix control socket, shared by
 * "ol2tp peer|pseudowire|session up|down" and "ol2tpd -C".
 *
 * The protocol (ol2tpd(8), CONTROL COMMANDS): the client connects, writes
 * one command line, and reads the answer until the daemon closes.  An
 * answer is lines of "OBJECT NAME KEY VALUE KEY VALUE ..."; a value that is
 * a string the peer chose is double-quoted with C-style escapes (\" \\ \n
 * \t \xHH), see ol2tp_ctl_quote().  A refused command answers one line
 * starting with "error:".
 */
#ifndef OL2TP_CTL_H
#define OL2TP_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Where ol2tpd listens unless its configuration says otherwise. */
#define OL2TPD_DEFAULT_SOCKET	"/run/ol2tpd.sock"
/* Environment variable that overrides the default for clients. */
#define OL2TPD_SOCKET_ENV	"OL2TPD_SOCKET"

/* $OL2TPD_SOCKET if set and non-empty, else OL2TPD_DEFAULT_SOCKET. */
const char *ol2tp_ctl_default_path(void);

/*
 * Send CMD to the daemon at PATH and read the whole answer into *ANSWER
 * (malloc'd, NUL-terminated; the caller frees it).  Returns 0, or a
 * negative errno with ERR holding a message that names PATH and says
 * what to do (start ol2tpd, pass -S, run as root).
 */
int ol2tp_ctl_request(const char *path, const char *cmd, char **answer,
		      char *err, size_t errlen);

/* The answer is a refusal: its first line starts with "error:". */
bool ol2tp_ctl_is_error(const char *answer);

/* One word of an answer line: unquoted, or a quoted string unescaped. */
struct ol2tp_ctl_word {
	const char *s;
	bool quoted;
};

/*
 * Split LINE (modified in place: quoted words are unescaped there) into at
 * most MAX words.  Returns the count, or -1 for an unterminated quote, a bad
 * escape or more than MAX words.
 */
int ol2tp_ctl_split(char *line, struct ol2tp_ctl_word *w, int max);

/* Write S as a quoted word that ol2tp_ctl_split() reads back as S. */
void ol2tp_ctl_quote(FILE *f, const char *s);

/* The value of the hex digit C (either case), or -1 (for \xHH escapes). */
int ol2tp_hexval(int c);

#endif /* OL2TP_CTL_H */
