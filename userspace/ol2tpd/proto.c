// SPDX-License-Identifier: GPL-2.0
/*
 * Names of protocol numbers, for logs and the control socket.
 */
#include "proto.h"

const char *l2tp_msg_type_name(uint16_t type)
{
	static const char *const names[] = {
		[L2TP_MSG_ZLB] = "ZLB",
		[L2TP_MSG_SCCRQ] = "SCCRQ",
		[L2TP_MSG_SCCRP] = "SCCRP",
		[L2TP_MSG_SCCCN] = "SCCCN",
		[L2TP_MSG_STOPCCN] = "StopCCN",
		[L2TP_MSG_HELLO] = "HELLO",
		[L2TP_MSG_OCRQ] = "OCRQ",
		[L2TP_MSG_OCRP] = "OCRP",
		[L2TP_MSG_OCCN] = "OCCN",
		[L2TP_MSG_ICRQ] = "ICRQ",
		[L2TP_MSG_ICRP] = "ICRP",
		[L2TP_MSG_ICCN] = "ICCN",
		[L2TP_MSG_CDN] = "CDN",
		[L2TP_MSG_WEN] = "WEN",
		[L2TP_MSG_SLI] = "SLI",
		[L2TP_MSG_ACK] = "ACK",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown";
}

int l2tp_msg_type_is_session(uint16_t type)
{
	switch (type) {
	case L2TP_MSG_OCRQ:
	case L2TP_MSG_OCRP:
	case L2TP_MSG_OCCN:
	case L2TP_MSG_ICRQ:
	case L2TP_MSG_ICRP:
	case L2TP_MSG_ICCN:
	case L2TP_MSG_CDN:
	case L2TP_MSG_WEN:
	case L2TP_MSG_SLI:
		return 1;
	default:
		return 0;
	}
}

const char *l2tp_result_name(uint16_t msg_type, uint16_t result)
{
	static const char *const stopccn[] = {
		"reserved",
		"general request to clear control connection",
		"general error",
		"control connection already exists",
		"requester is not authorized",
		"protocol version not supported",
		"requester is being shut down",
		"finite state machine error or timeout",
	};
	static const char *const cdn[] = {
		"reserved",
		"loss of carrier or circuit disconnect",
		"general error",
		"administrative disconnect",
		"no facilities available (temporary)",
		"no facilities available (permanent)",
		"invalid destination",
		"no carrier detected",
		"busy signal",
		"no dial tone",
		"not established within time allotted",
		"no appropriate framing detected",
		"mismatching SDS value",
		"lost tie breaker",
		"unsupported pseudowire type",
		"sequencing required without a valid L2-Specific Sublayer",
		"finite state machine error or timeout",
	};

	if (msg_type == L2TP_MSG_STOPCCN) {
		if (result < sizeof(stopccn) / sizeof(stopccn[0]))
			return stopccn[result];
	} else if (result < sizeof(cdn) / sizeof(cdn[0])) {
		return cdn[result];
	}
	return "unknown result code";
}

