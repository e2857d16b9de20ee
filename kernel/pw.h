/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pw.c: finding a pseudowire type (registering one is in ol2tp.h).
 */
#ifndef _OL2TP_PW_H
#define _OL2TP_PW_H

#include "ol2tp.h"

/*
 * The ops of @pw_type with a reference on their module, loading the module
 * ("net-ol2tp-pw-N") if none registered the type; NULL if none does.
 */
const struct ol2tp_pw_ops *ol2tp_pw_get(u16 pw_type);

#endif /* _OL2TP_PW_H */
