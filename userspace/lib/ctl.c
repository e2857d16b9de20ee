// SPDX-License-Identifier: GPL-2.0
/* ol2tpd control socket client: request, answer, word splitting. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ol2tp-ctl.h"

const char *ol2tp_ctl_default_path(void)
{
	const char *env = getenv(OL2TPD_SOCKET_ENV);

	return env && *env ? env : OL2TPD_DEFAULT_SOCKET;
}

static int ctl_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen,
			 "control socket path too long (at most %zu bytes): %s",
			 sizeof(sun.sun_path) - 1, path);
		return -ENAMETOOLONG;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot open a Unix socket: %s",
			 strerror(e));
		return -e;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return fd;
	e = errno;
	close(fd);
	switch (e) {
	case ENOENT:
	case ECONNREFUSED:
		snprintf(err, errlen,
			 "ol2tpd is not running on %s (%s): start ol2tpd, or pass -S with the control-socket of its ol2tpd.conf",
			 path, strerror(e));
		break;
	case EACCES:
	case EPERM:
		snprintf(err, errlen,
			 "permission denied on the control socket %s (ol2tpd makes it mode 0600): run as root or as the daemon's user",
			 path);
		break;
	default:
		snprintf(err, errlen, "cannot connect to ol2tpd at %s: %s",
			 path, strerror(e));
	}
	return -e;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int ol2tp_ctl_request(const char *path, const char *cmd, char **answer,
		      char *err, size_t errlen)
{
	size_t len = 0, cap = 4096;
	char *buf, *line;
	int fd, rc;

	*answer = NULL;
	fd = ctl_connect(path, err, errlen);
	if (fd < 0)
		return fd;
	line = malloc(strlen(cmd) + 2);
	buf = malloc(cap);
	if (!line || !buf) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	sprintf(line, "%s\n", cmd);
	rc = write_all(fd, line, strlen(line));
	if (rc < 0) {
		snprintf(err, errlen, "cannot send the command to ol2tpd at %s: %s",
			 path, strerror(-rc));
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 1024) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				rc = -ENOMEM;
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			snprintf(err, errlen,
				 "cannot read the answer of ol2tpd at %s: %s",
				 path, strerror(-rc));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*answer = buf;
	buf = NULL;
	rc = 0;
out:
	free(line);
	free(buf);
	close(fd);
	return rc;
}

bool ol2tp_ctl_is_error(const char *answer)
{
	return !strncmp(answer, "error:", 6);
}

int ol2tp_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unescape the quoted word at R (after its '"') into W; the end or NULL. */
static char *unquote(char *r, char *w)
{
	for (;;) {
		char c = *r++;

		if (!c)
			return NULL;
		if (c == '"') {
			*w = '\0';
			return r;
		}
		if (c != '\\') {
			*w++ = c;
			continue;
		}
		c = *r++;
		switch (c) {
		case '"':
		case '\\':
			*w++ = c;
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'x': {
			int hi = ol2tp_hexval(r[0]);
			int lo = hi < 0 ? -1 : ol2tp_hexval(r[1]);

			if (lo < 0 || (hi == 0 && lo == 0))
				return NULL;
			*w++ = (char)(hi << 4 | lo);
			r += 2;
			break;
		}
		default:
			return NULL;
		}
	}
}

int ol2tp_ctl_split(char *line, struct ol2tp_ctl_word *w, int max)
{
	char *r = line;
	int n = 0;

	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n')
			r++;
		if (!*r)
			return n;
		if (n == max)
			return -1;
		if (*r == '"') {
			char *start = r + 1;

			r = unquote(start, start);
			if (!r)
				return -1;
			w[n].s = start;
			w[n++].quoted = true;
			if (*r && *r != ' ' && *r != '\t' && *r != '\r' &&
			    *r != '\n')
				return -1;
			if (*r)
				*r++ = '\0';
			continue;
		}
		w[n].s = r;
		w[n++].quoted = false;
		while (*r && *r != ' ' && *r != '\t' && *r != '\r' &&
		       *r != '\n') {
			if (*r == '"')
				return -1;
			r++;
		}
		if (*r)
			*r++ = '\0';
	}
}

void ol2tp_ctl_quote(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
