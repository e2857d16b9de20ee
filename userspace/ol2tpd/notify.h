/* SPDX-License-Identifier: GPL-2.0 */
/* systemd's service state notification (Type=notify), see notify.c. */
#ifndef OL2TPD_NOTIFY_H
#define OL2TPD_NOTIFY_H

int notify_systemd(const char *state);

#endif /* OL2TPD_NOTIFY_H */
