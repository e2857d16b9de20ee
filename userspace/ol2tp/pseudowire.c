// SPDX-License-Identifier: GPL-2.0
/*
 * ol2tp pseudowire show: ol2tpd's pseudowires by their configured names,
 * with the daemon's session state (the kernel's view is "session show").
 */
#include <string.h>

#include "ol2tp.h"

void usage_pseudowire(FILE *f)
{
	fprintf(f,
		"Usage: ol2tp [ -S SOCKET ] pseudowire show [ name NAME ]\n"
		"\n"
		"Where: NAME   := a [pseudowire NAME] or [static NAME] section of\n"
		"                 ol2tpd.conf\n"
		"       SOCKET := ol2tpd's control socket (default $OL2TPD_SOCKET,\n"
		"                 else /run/ol2tpd.sock)\n"
		"Bring one down or up again with \"ol2tp session down|up NAME\".\n");
}

static int dispatch(int argc, char **argv)
{
	return ctl_show_object("pseudowire", argc, argv, "session show", NULL,
			       "kind");
}

int do_pseudowire(int argc, char **argv)
{
	return run_object(argc, argv, dispatch, usage_pseudowire);
}
