/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by engine.c (connections) and session.c (sessions).
 */
#ifndef OL2TPD_ENGINE_INT_H
#define OL2TPD_ENGINE_INT_H

#include "engine.h"

void eng_log(struct engine *eng, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
uint32_t eng_random_id(bool v2);
struct engine_cc *eng_find_cc(struct engine *eng, uint8_t ver, uint32_t id);
uint16_t eng_hide(const struct engine_cc *cc);
void eng_msg_start(struct engine_cc *cc, struct l2tp_builder *b,
		   uint16_t type, uint16_t v2_sess);
int eng_msg_send(struct engine_cc *cc, uint64_t now, struct l2tp_builder *b);
void eng_cc_close(struct engine_cc *cc, uint64_t now, uint16_t result,
		  uint16_t error, const char *why);
void eng_cc_receive(struct engine_cc *cc, uint64_t now, const uint8_t *buf,
		    size_t len, bool authorized);
void eng_hello_reset(struct engine_cc *cc, uint64_t now);
void eng_reap(struct engine *eng);

/* session.c */
void sess_start(struct engine_sess *s, uint64_t now);
/* sess_start, or later (ENGINE_SESS_DEFER_MS) on a connection the peer
 * opened, for a request the peer may be making at the same time. */
void sess_start_or_defer(struct engine_sess *s, uint64_t now);
void sess_down(struct engine_sess *s, uint64_t now, uint16_t result,
	       int error, const char *why, bool send_cdn);
void sess_input(struct engine_cc *cc, uint64_t now, const struct l2tp_msg *m);
void sess_input_error(struct engine_cc *cc, uint64_t now,
		      const struct l2tp_msg *m, const struct l2tp_perr *err);
void sess_tick(struct engine_cc *cc, uint64_t now);
uint64_t sess_next_deadline(const struct engine_cc *cc);

#endif /* OL2TPD_ENGINE_INT_H */
