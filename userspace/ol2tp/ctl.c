// SPDX-License-Identifier: GPL-2.0
/*
 * What the daemon-side objects (peer, pseudowire, session up|down) share:
 * one request to ol2tpd over its control socket, errors mapped to exit
 * statuses, and the answer's "OBJECT NAME KEY VALUE ..." lines printed as
 * text or converted to JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "ol2tp-ctl.h"
#include "ol2tp.h"

#define CTL_MAX_WORDS	128

const char *ctl_path(void)
{
	return opt.socket ? opt.socket : ol2tp_ctl_default_path();
}

int ctl_call(const char *cmd, char **answer)
{
	char err[512];
	char *first_nl;

	if (ol2tp_ctl_request(ctl_path(), cmd, answer, err, sizeof(err)) < 0) {
		errmsg("%s", err);
		return EXIT_ENV;
	}
	if (!ol2tp_ctl_is_error(*answer))
		return EXIT_OK;
	first_nl = strchr(*answer, '\n');
	if (first_nl)
		*first_nl = '\0';
	errmsg("ol2tpd: %s", *answer + strspn(*answer + 6, " ") + 6);
	free(*answer);
	*answer = NULL;
	return EXIT_KERNEL;
}

/* An unquoted decimal that fits 64 bits, without a leading zero. */
static bool is_number(const struct ol2tp_ctl_word *w, uint64_t *v)
{
	const char *s = w->s;
	char *end;

	if (w->quoted || !*s || strspn(s, "0123456789") != strlen(s) ||
	    (s[0] == '0' && s[1]) || strlen(s) > 20)
		return false;
	*v = strtoull(s, &end, 10);
	return !(*v == UINT64_MAX && strcmp(s, "18446744073709551615"));
}

int ctl_show(const char *cmd, const char *kind, const char *name,
	     const char *json_key_kind)
{
	struct json j = { .f = stdout, .pretty = opt.pretty };
	char *answer, *line, *save = NULL;
	int rc, shown = 0;

	rc = ctl_call(cmd, &answer);
	if (rc != EXIT_OK)
		return rc;
	if (opt.json)
		json_begin_array(&j, NULL);
	for (line = strtok_r(answer, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct ol2tp_ctl_word w[CTL_MAX_WORDS];
		char *copy = strdup(line);
		int n, i;

		if (!copy) {
			errmsg("out of memory");
			rc = EXIT_ENV;
			break;
		}
		n = ol2tp_ctl_split(copy, w, CTL_MAX_WORDS);
		if (n < 2 || (kind && strcmp(w[0].s, kind)) ||
		    (name && strcmp(w[1].s, name))) {
			if (n < 0)
				errmsg("cannot parse ol2tpd's answer line: %s",
				       line);
			free(copy);
			continue;
		}
		shown++;
		if (!opt.json) {
			printf("%s\n", line);
			free(copy);
			continue;
		}
		json_begin_object(&j, NULL);
		if (json_key_kind)
			json_str(&j, json_key_kind, w[0].s);
		json_str(&j, "name", w[1].s);
		for (i = 2; i < n; i += 2) {
			uint64_t v;

			if (i + 1 == n)
				json_null(&j, w[i].s);
			else if (is_number(&w[i + 1], &v))
				json_uint(&j, w[i].s, v);
			else
				json_str(&j, w[i].s, w[i + 1].s);
		}
		json_end_object(&j);
		free(copy);
	}
	if (opt.json)
		json_end_array(&j);
	free(answer);
	if (rc == EXIT_OK && name && !shown) {
		errmsg("ol2tpd has no %s named \"%s\"",
		       kind ? kind : "pseudowire", name);
		rc = EXIT_KERNEL;
	}
	return rc;
}

int ctl_show_object(const char *object, int argc, char **argv,
		    const char *cmd, const char *kind,
		    const char *json_key_kind)
{
	const char *name;

	if (argc > 0 && !matches(argv[0], "show") && !matches(argv[0], "list")) {
		errmsg("%s: unknown command \"%s\"", object, argv[0]);
		return EXIT_USAGE;
	}
	if (argc > 0 && parse_name_filter(argc - 1, argv + 1, &name) < 0)
		return EXIT_USAGE;
	return ctl_show(cmd, kind, argc > 0 ? name : NULL, json_key_kind);
}
