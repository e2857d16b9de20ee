// SPDX-License-Identifier: GPL-2.0
/*
 * Telling systemd how the service is doing (Type=notify): one datagram of
 * newline-separated VARIABLE=value lines ("READY=1", "RELOADING=1",
 * "STOPPING=1", "STATUS=text") to the AF_UNIX socket whose path systemd put
 * in $NOTIFY_SOCKET, a leading '@' meaning the abstract namespace.  That is
 * the whole protocol (sd_notify(3)); no libsystemd needed.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"

/*
 * notify_systemd: send STATE to the service manager.  Returns 0 when sent
 * or when there is no service manager to tell ($NOTIFY_SOCKET unset: not
 * started by systemd, or not as Type=notify), -errno when sending failed
 * (logged; the daemon runs on, systemd will time the start out).
 */
int notify_systemd(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t plen;
	ssize_t n;
	int fd, err = 0;

	if (!path || !*path)
		return 0;
	plen = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || plen >= sizeof(sun.sun_path)) {
		logmsg(LOG_WARNING, "NOTIFY_SOCKET=%s: not a socket path; systemd is not told \"%s\"",
		       path, state);
		return -EINVAL;
	}
	memcpy(sun.sun_path, path, plen);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
	} else {
		n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
			   (struct sockaddr *)&sun,
			   offsetof(struct sockaddr_un, sun_path) + plen);
		if (n < 0)
			err = -errno;
		close(fd);
	}
	if (err)
		logmsg(LOG_WARNING, "cannot notify systemd (%s) of \"%s\": %s",
		       path, state, strerror(-err));
	return err;
}
