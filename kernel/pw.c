// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of pseudowire types: eth.c registers Ethernet (5), the PPP
 * module PPP (7); a session of a type pins the module implementing it.
 */

#include <linux/module.h>
#include <linux/kmod.h>
#include <linux/mutex.h>

#include "ol2tp.h"
#include "pw.h"

static LIST_HEAD(ol2tp_pw_list);
static DEFINE_MUTEX(ol2tp_pw_mutex);

int ol2tp_pw_register(struct ol2tp_pw_ops *ops)
{
	struct ol2tp_pw_ops *o;
	int err = 0;

	mutex_lock(&ol2tp_pw_mutex);
	list_for_each_entry(o, &ol2tp_pw_list, list) {
		if (o->pw_type == ops->pw_type) {
			err = -EEXIST;
			goto out_unlock;
		}
	}
	list_add_tail(&ops->list, &ol2tp_pw_list);
out_unlock:
	mutex_unlock(&ol2tp_pw_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(ol2tp_pw_register);

void ol2tp_pw_unregister(struct ol2tp_pw_ops *ops)
{
	mutex_lock(&ol2tp_pw_mutex);
	list_del(&ops->list);
	mutex_unlock(&ol2tp_pw_mutex);
}
EXPORT_SYMBOL_GPL(ol2tp_pw_unregister);

/* The ops of @pw_type with a reference on their module, or NULL. */
static const struct ol2tp_pw_ops *ol2tp_pw_find(u16 pw_type)
{
	const struct ol2tp_pw_ops *o, *found = NULL;

	mutex_lock(&ol2tp_pw_mutex);
	list_for_each_entry(o, &ol2tp_pw_list, list) {
		if (o->pw_type == pw_type && try_module_get(o->owner)) {
			found = o;
			break;
		}
	}
	mutex_unlock(&ol2tp_pw_mutex);
	return found;
}

/*
 * The ops of @pw_type with a reference on their module, loading the module
 * ("net-ol2tp-pw-N") if none registered the type; NULL if none does.
 */
const struct ol2tp_pw_ops *ol2tp_pw_get(u16 pw_type)
{
	const struct ol2tp_pw_ops *ops = ol2tp_pw_find(pw_type);

	if (!ops) {
		request_module("net-ol2tp-pw-%u", pw_type);
		ops = ol2tp_pw_find(pw_type);
	}
	return ops;
}
