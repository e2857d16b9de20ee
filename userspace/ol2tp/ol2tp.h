/* SPDX-License-Identifier: GPL-2.0 */
/* ol2tp, the ip-style tool: what its files share. */
#ifndef OL2TP_TOOL_H
#define OL2TP_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ol2tp-nl.h"

/* Exit statuses (documented in ol2tp(8)). */
enum {
	EXIT_OK = 0,
	EXIT_KERNEL = 1,	/* the kernel or ol2tpd refused, or no such object */
	EXIT_USAGE = 2,		/* malformed command line or batch line */
	EXIT_ENV = 3,		/* no L2TP family, no netns, no socket, no ol2tpd */
};

/* Global options and state. */
struct options {
	bool json;
	bool pretty;
	bool oneline;
	int stats;		/* -s given how many times */
	const char *netns;
	const char *socket;	/* ol2tpd's control socket (-S) */
	const char *batch;	/* file name while running a batch */
	unsigned long lineno;	/* its current line */
};

extern struct options opt;

/* --- main.c ------------------------------------------------------------- */

/* The netlink handle, opened on first use; exits EXIT_ENV on failure. */
struct ol2tp_nl *nl(void);
/* "ol2tp: [FILE:LINE: ]MSG" on stderr. */
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Report what the kernel said about WHAT ("cannot add tunnel 5") and
 * return EXIT_KERNEL.
 */
int kernel_error(const struct ol2tp_nl_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print a kernel's warning on a successful request, if any. */
void kernel_warning(const struct ol2tp_nl_err *err);

/* --- args.c ------------------------------------------------------------- */

/* ARG is a non-empty prefix of WORD (ip-style abbreviation). */
bool matches(const char *arg, const char *word);
bool is_help(const char *arg);
/*
 * Run an object's command (ARGV: what follows "ol2tp OBJECT") with
 * DISPATCH: "help" in the first two words prints USAGE to stdout, a usage
 * error prints it to stderr after the error.  Returns the exit code.
 */
int run_object(int argc, char **argv, int (*dispatch)(int, char **),
	       void (*usage)(FILE *));

/* A command of an object: its word and what runs the words after it. */
struct subcmd {
	const char *name;
	int (*run)(int argc, char **argv);
};

/*
 * Run the command of CMDS (NULL-terminated) that ARGV's first word names,
 * abbreviated as matches() allows; no word at all runs the first of CMDS
 * (show).  An unknown word is a usage error that names OBJECT.
 */
int run_subcmd(const char *object, const struct subcmd *cmds, int argc,
	       char **argv);

/*
 * Keyword parsers: return 0, or print "invalid KEY "VAL": why" and return
 * -1.  The caller turns -1 into a usage error.
 */
int parse_id(const char *key, const char *val, uint32_t *out);
int parse_u32(const char *key, const char *val, uint32_t *out);
int parse_u64(const char *key, const char *val, uint64_t *out);
int parse_port(const char *key, const char *val, uint16_t *out);
int parse_on_off(const char *key, const char *val, bool *out);
int parse_addr(const char *key, const char *val, struct ol2tp_nl_addr *out,
	       bool any_ok);
int parse_cookie(const char *key, const char *val, uint8_t *buf,
		 uint8_t *len);
int parse_ifname(const char *key, const char *val, char *buf);
/* Look VAL up in a NULL-terminated list of names; the index or -1. */
int parse_choice(const char *key, const char *val,
		 const char *const *names, const char *expect);

/*
 * Walk "KEY VALUE" pairs while it->i < it->argc: next_kv() returns the
 * keyword and sets *val, or reports a keyword without a value and returns
 * NULL.
 */
struct kv_iter {
	int argc;
	char **argv;
	int i;
};
const char *next_kv(struct kv_iter *it, const char **val);
/* [ name NAME ] after "show": 0 and *NAME (NULL if absent), or -1. */
int parse_name_filter(int argc, char **argv, const char **name);
/* A name to send to ol2tpd (WHAT: "pseudowire"): one word, or -1. */
int parse_daemon_name(const char *what, const char *val);
/* Each keyword at most once: SEEN is a bitmap indexed by the caller. */
int once(uint64_t *seen, int bit, const char *key);
/* The bit of keyword K in such a bitmap. */
#define BIT(k) (UINT64_C(1) << (k))

/*
 * The keywords of an object's commands, one table a command line is parsed
 * with.  Entry K of the table is bit K of the "seen" bitmap; the value is
 * stored at OFF in the caller's argument struct, in the type KIND names.
 */
enum kw_kind {
	KW_ID,		/* uint32_t, 1..2^32-1 */
	KW_U32,		/* uint32_t */
	KW_U64,		/* uint64_t */
	KW_PORT,	/* uint16_t */
	KW_ON_OFF,	/* bool */
	KW_ADDR,	/* struct ol2tp_nl_addr */
	KW_ADDR_ANY,	/* struct ol2tp_nl_addr, or "any" (AF_UNSPEC) */
	KW_COOKIE,	/* uint8_t[8] at OFF, its length (uint8_t) at LEN_OFF */
	KW_IFNAME,	/* char[IFNAMSIZ] */
	KW_CHOICE8,	/* uint8_t: VALUES[k] of the word CHOICES[k] */
	KW_CHOICE16,	/* uint16_t: the same */
	KW_FN,		/* FN parses and stores it */
};

struct kw {
	const char *name;	/* the word, named in errors */
	const char *alias;	/* a short form (tid), or NULL */
	enum kw_kind kind;
	size_t off;
	size_t len_off;
	const char *const *choices;	/* KW_CHOICE*: NULL-terminated */
	const uint16_t *values;
	const char *expect;		/* "udp or ip" */
	/* KW_FN: 0, or -1 after reporting; KEY is the word as given. */
	int (*fn)(void *args, const char *key, const char *val);
};

struct kw_table {
	const char *object;	/* "tunnel": the error messages' subject */
	const struct kw *kw;
	size_t n;
	size_t args_size;	/* the argument struct, zeroed before parsing */
	size_t seen_off;	/* its uint64_t bitmap of the keywords given */
};

/*
 * Zero ARGS and parse ARGV's "KEY VALUE" pairs into it by TABLE, each
 * keyword at most once, setting their bits in its "seen" bitmap.  0, or -1
 * after reporting.
 */
int kw_parse(const struct kw_table *table, int argc, char **argv, void *args);
/*
 * "OBJ CMD" (e.g. "tunnel modify") takes only the keywords in ALLOWED: 0,
 * or -1 after naming the first other one in SEEN.
 */
int kw_only(const struct kw_table *table, uint64_t seen, uint64_t allowed,
	    const char *cmd);
/*
 * Keyword K must be given: 0, or -1 after "OBJ CMD: KEY is required" and
 * WHY (" with encap udp", or "").
 */
int kw_require(const struct kw_table *table, uint64_t seen, int k,
	       const char *cmd, const char *why);

/* --- output.c ------------------------------------------------------------ */

const char *encap_name(unsigned int encap);
const char *pw_name(unsigned int pw);
const char *l2spec_name(unsigned int l2spec);
const char *seq_name(bool send, bool recv);
void addr_str(const struct ol2tp_nl_addr *a, char *buf, size_t len);
void hex_str(const uint8_t *buf, size_t n, char *out);

/* A small JSON writer; keys and strings are escaped. */
struct json {
	FILE *f;
	int depth;
	bool need_comma;
	bool pretty;
};
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
void json_begin_object(struct json *j, const char *key);
void json_end_object(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

/* Object printers shared by show and monitor. */
void tunnel_json(struct json *j, const struct ol2tp_nl_tunnel *t);
void tunnel_json_fields(struct json *j, const struct ol2tp_nl_tunnel *t);
void tunnel_text(FILE *f, const struct ol2tp_nl_tunnel *t);
void tunnel_oneline(FILE *f, const struct ol2tp_nl_tunnel *t);
void session_json(struct json *j, const struct ol2tp_nl_session *s);
void session_json_fields(struct json *j, const struct ol2tp_nl_session *s);
void session_text(FILE *f, const struct ol2tp_nl_session *s);
void session_oneline(FILE *f, const struct ol2tp_nl_session *s);
void stats_json(struct json *j, const struct ol2tp_nl_stats *st);
void stats_text(FILE *f, const struct ol2tp_nl_stats *st);

/* --- ctl.c: talking to ol2tpd ------------------------------------------ */

/* The control socket: -S, else $OL2TPD_SOCKET, else ol2tpd's default. */
const char *ctl_path(void);
/*
 * Send CMD; on EXIT_OK *ANSWER is the daemon's answer (free it).  Errors
 * are reported: EXIT_ENV when ol2tpd cannot be reached, EXIT_KERNEL when it
 * answered "error:".
 */
int ctl_call(const char *cmd, char **answer);
/*
 * Send CMD and print the answer's lines whose first word is KIND (any when
 * NULL) and, when NAME is set, whose second word is NAME (none is an error).
 * Text: the lines as they came.  JSON: an array of objects, "name" first
 * (and the first word under JSON_KEY_KIND if set), then each KEY VALUE pair,
 * unquoted decimals as numbers.
 */
int ctl_show(const char *cmd, const char *kind, const char *name,
	     const char *json_key_kind);
/*
 * The commands of an object ol2tp only shows from ol2tpd (peer,
 * pseudowire): "show" or "list" [ name NAME ], or nothing; ctl_show() of
 * CMD, KIND and JSON_KEY_KIND does it.
 */
int ctl_show_object(const char *object, int argc, char **argv,
		    const char *cmd, const char *kind,
		    const char *json_key_kind);

/* --- the objects --------------------------------------------------------- */

int do_tunnel(int argc, char **argv);
int do_session(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_peer(int argc, char **argv);
int do_pseudowire(int argc, char **argv);
void usage_tunnel(FILE *f);
void usage_session(FILE *f);
void usage_monitor(FILE *f);
void usage_peer(FILE *f);
void usage_pseudowire(FILE *f);

/* The MTU of interface IFNAME (0 when unknown), and setting it. */
int netdev_mtu(const char *ifname);
int netdev_set_mtu(const char *ifname, uint32_t mtu);

#endif /* OL2TP_TOOL_H */
