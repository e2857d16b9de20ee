// SPDX-License-Identifier: GPL-2.0
/* ol2tp peer show: ol2tpd's control connections, from its control socket. */
#include <string.h>

#include "ol2tp.h"

void usage_peer(FILE *f)
{
	fprintf(f,
		"Usage: ol2tp [ -S SOCKET ] peer show [ name NAME ]\n"
		"\n"
		"Where: NAME   := a [peer NAME] section of ol2tpd.conf\n"
		"       SOCKET := ol2tpd's control socket (default $OL2TPD_SOCKET,\n"
		"                 else /run/ol2tpd.sock)\n");
}

static int dispatch(int argc, char **argv)
{
	return ctl_show_object("peer", argc, argv, "peer show", "peer", NULL);
}

int do_peer(int argc, char **argv)
{
	return run_object(argc, argv, dispatch, usage_peer);
}
