/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test_engine harness: two engines wired back to back in memory
 * (test_engine.c), shared by the scenario files test_engine_sess.c
 * (pseudowires up and down, their dumps, session tie breaking, malformed
 * session messages) and test_engine_cc.c (authentication, refusal,
 * limits, connection tie breaking, loss, HELLO, failures).
 */
#ifndef OL2TP_TEST_ENGINE_H
#define OL2TP_TEST_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../engine_int.h"
#include "../../tests/tap.h"

#define MAX_PKTS 4096

struct node;

struct world {
	uint64_t now;
	uint64_t rng;
	unsigned int loss_pct;
	uint32_t lat_min, lat_span;
	bool cut[2];			/* drop everything sent by node i */
	struct pkt {
		uint64_t at;
		int dst;
		size_t len;
		uint8_t data[L2TP_MSG_MAX + 4];
	} *wire;
	size_t nwire;
	/* Mutate the next datagram node i sends of message type t. */
	int mutate_node;
	uint16_t mutate_type;
	void (*mutate)(uint8_t *buf, size_t *len);
	FILE *dump;			/* text2pcap input, or NULL */
	bool ip;
	struct node {
		struct world *w;
		int idx;
		struct engine *eng;
		struct engine_addr addr;
		struct engine_peer_cfg peer;	/* how to treat the other */
		bool refuse_peer;
		bool busy_peer;		/* known, but no room */
		bool fail_data_plane;
		uint16_t accept_pw;		/* 0: any */
		int cc_up, cc_down, sess_up, sess_down;
		struct engine_cc *cc;		/* last connection up */
		struct engine_sess *sess;	/* last session up */
		uint16_t last_sess_result, last_sess_error;
		uint16_t last_cc_result, last_cc_error;
		bool last_cc_auth_failed;
		unsigned int sent[32];		/* messages sent, by type */
		char last_log[512];
		char logs[16384];
		int errors_logged;
	} n[2];
};

/* A world of two L2TP version VER nodes; SEED drives loss and latency. */
struct world *world_new(uint8_t ver, uint64_t seed);
void world_free(struct world *w);
/* Run the world until `until` (absolute ms). */
void run(struct world *w, uint64_t until);
/* Node A starts a control connection to node B. */
struct engine_cc *connect_ab(struct world *w);
/* An Ethernet pseudowire's configuration with end id END. */
struct engine_sess_cfg eth_cfg(const char *end);
unsigned int count_ccs(struct engine *e);
/* The session of e whose peer id is id. */
struct engine_sess *peer_session(struct engine *e, uint32_t id);
/* DIR/NAME.txt for a scenario's text2pcap dump, or NULL without DIR. */
FILE *open_dump(const char *dir, const char *name);

/* test_engine_sess.c */
void scenario_v3(const char *dumpdir, const char *label, bool ip,
		 bool digest, uint8_t dtype, bool chal, bool hide);
void test_v2_ppp(const char *dumpdir);
void test_sess_tie(void);
void test_malformed(void);

/* test_engine_cc.c */
void test_wrong_secret(void);
void test_refused_peer(void);
void test_max_pending(void);
void test_cc_tie(void);
void test_loss(void);
void test_hello(void);
void test_failures(void);

#endif /* OL2TP_TEST_ENGINE_H */
