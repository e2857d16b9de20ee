// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tp: manage L2TP tunnels and sessions over the generic netlink family
 * "l2tp", with the grammar of iproute2's "ip l2tp" and more.
 *
 *	ol2tp [OPTIONS] OBJECT COMMAND [ARGS]
 *
 * This file: options, the object table, batch mode, the network namespace
 * and error reporting.  Each object lives in its own file; peer, pseudowire
 * and session up|down talk to ol2tpd over its control socket (ctl.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ol2tp.h"

struct options opt;

static struct ol2tp_nl *handle;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ol2tp [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       ol2tp [ OPTIONS ] -batch FILE\n"
		"where  OBJECT  := { tunnel | session | monitor |\n"
		"                    peer | pseudowire }\n"
		"       COMMAND := { add | del | modify | show | up | down }\n"
		"       OPTIONS := { -s[tatistics] | -j[son] | -p[retty] |\n"
		"                    -o[neline] | -n[etns] NAME | -b[atch] FILE |\n"
		"                    -S | -so[cket] PATH | -V[ersion] | -h[elp] }\n"
		"tunnel, session add|del|modify|show and monitor: the kernel (netlink);\n"
		"peer, pseudowire, session up|down: ol2tpd (its control socket).\n"
		"Try \"ol2tp OBJECT help\".\n");
}

void errmsg(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("ol2tp: ", stderr);
	if (opt.batch)
		fprintf(stderr, "%s:%lu: ", opt.batch, opt.lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *errno_name(int e)
{
	const char *name = strerrorname_np(e);

	return name ? name : "unknown errno";
}

int kernel_error(const struct ol2tp_nl_err *err, const char *fmt, ...)
{
	char what[256], attr[64] = "";
	const char *hint = "";
	int e = err->code < 0 ? -err->code : EIO;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (err->attr > 0)
		snprintf(attr, sizeof(attr), " [attribute %s]",
			 ol2tp_attr_name(err->attr) ?
			 ol2tp_attr_name(err->attr) : "unknown");
	if (e == EPERM || e == EACCES)
		hint = "; run as root (CAP_NET_ADMIN)";
	if (err->msg[0])
		errmsg("%s: %s%s (%s: %s)%s", what, err->msg, attr,
		       errno_name(e), strerror(e), hint);
	else
		errmsg("%s: %s%s (%s)%s", what, strerror(e), attr,
		       errno_name(e), hint);
	return EXIT_KERNEL;
}

void kernel_warning(const struct ol2tp_nl_err *err)
{
	if (err->warning[0])
		errmsg("warning from the kernel: %s", err->warning);
}

struct ol2tp_nl *nl(void)
{
	struct ol2tp_nl_err err;
	int rc;

	if (handle)
		return handle;
	rc = ol2tp_nl_open(&handle, &err);
	if (rc < 0) {
		errmsg("%s", err.msg[0] ? err.msg : strerror(-rc));
		exit(EXIT_ENV);
	}
	return handle;
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} objects[] = {
	{ "tunnel", do_tunnel },
	{ "session", do_session },
	{ "monitor", do_monitor },
	{ "peer", do_peer },
	{ "pseudowire", do_pseudowire },
	{ "pw", do_pseudowire },
	{ "help", do_help },
};

static int run(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (matches(argv[0], objects[i].name))
			return objects[i].fn(argc - 1, argv + 1);
	errmsg("unknown object \"%s\"", argv[0]);
	usage(stderr);
	return EXIT_USAGE;
}

/*
 * Split a batch line into words: blanks separate, '#' starts a comment,
 * "double" or 'single' quotes group.  Returns the word count or -1.
 */
static int split_line(char *line, char **argv, int max)
{
	int argc = 0;
	char *r = line, *w;

	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			return argc;
		if (argc == max) {
			errmsg("too many words (at most %d)", max);
			return -1;
		}
		argv[argc++] = w = r;
		while (*r && *r != ' ' && *r != '\t' && *r != '\n' &&
		       *r != '\r') {
			if (*r == '"' || *r == '\'') {
				char q = *r++;

				while (*r && *r != q)
					*w++ = *r++;
				if (!*r) {
					errmsg("unterminated %c quote", q);
					return -1;
				}
				r++;
				continue;
			}
			*w++ = *r++;
		}
		if (*r)
			r++;
		*w = '\0';
	}
}

static int do_batch(const char *name)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char *line = NULL, *argv[128];
	size_t cap = 0;
	int argc, rc = EXIT_OK;

	if (!f) {
		errmsg("cannot open batch file %s: %s", name, strerror(errno));
		return EXIT_ENV;
	}
	opt.batch = name;
	opt.lineno = 0;
	while (getline(&line, &cap, f) >= 0) {
		opt.lineno++;
		argc = split_line(line, argv, 128);
		if (argc < 0) {
			rc = EXIT_USAGE;
			break;
		}
		if (argc == 0)
			continue;
		rc = run(argc, argv);
		if (rc != EXIT_OK)
			break;
	}
	if (rc == EXIT_OK && ferror(f)) {
		errmsg("cannot read: %s", strerror(errno));
		rc = EXIT_ENV;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errmsg("cannot open network namespace \"%s\" (%s): %s", name,
		       path, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		errmsg("cannot enter network namespace \"%s\": %s%s", name,
		       strerror(errno),
		       errno == EPERM ? "; run as root" : "");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* "-stats", "--stats", "-s": OPTION names LONG (short form SHORT). */
static bool is_opt(const char *arg, const char *lng, char shrt)
{
	if (arg[0] != '-')
		return false;
	arg++;
	if (arg[0] == '-')
		arg++;
	if (arg[0] == shrt && !arg[1])
		return true;
	return strlen(arg) > 1 && matches(arg, lng);
}

int main(int argc, char **argv)
{
	const char *batch = NULL;
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (is_opt(a, "statistics", 's')) {
			opt.stats++;
		} else if (is_opt(a, "json", 'j')) {
			opt.json = true;
		} else if (is_opt(a, "pretty", 'p')) {
			opt.pretty = true;
		} else if (is_opt(a, "oneline", 'o')) {
			opt.oneline = true;
		} else if (is_opt(a, "netns", 'n') || is_opt(a, "batch", 'b') ||
			   is_opt(a, "socket", 'S')) {
			if (i + 1 >= argc) {
				errmsg("option %s needs an argument", a);
				usage(stderr);
				return EXIT_USAGE;
			}
			if (is_opt(a, "netns", 'n'))
				opt.netns = argv[++i];
			else if (is_opt(a, "socket", 'S'))
				opt.socket = argv[++i];
			else
				batch = argv[++i];
		} else if (is_opt(a, "Version", 'V') ||
			   is_opt(a, "version", 'v')) {
			printf("ol2tp %s\n", OL2TP_VERSION);
			return EXIT_OK;
		} else if (is_opt(a, "help", 'h')) {
			usage(stdout);
			return EXIT_OK;
		} else {
			errmsg("unknown option \"%s\"", a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!batch && i >= argc) {
		errmsg("no object given");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (batch && i < argc) {
		errmsg("-batch takes its commands from %s, not the command line (\"%s\")",
		       batch, argv[i]);
		return EXIT_USAGE;
	}
	if (opt.netns && enter_netns(opt.netns) < 0)
		return EXIT_ENV;

	i = batch ? do_batch(batch) : run(argc - i, argv + i);
	ol2tp_nl_close(handle);
	return i;
}
