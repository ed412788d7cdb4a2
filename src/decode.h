/*
 * decode.h - turn one UDP datagram into the strings of an SNMP trap, and
 * build the Response that acknowledges an InformRequest.
 *
 * Accepts SNMPv1 Trap-PDUs, SNMPv2c SNMPv2-Trap-PDUs and SNMPv2c
 * InformRequest-PDUs; everything else is rejected: SNMPv3 (any PDU) and
 * other PDU types as unsupported, the rest as malformed.  Decoding is done
 * by net-snmp's BER layer (the functions its snmp_pdu_parse() is built
 * from) directly on the caller's buffer, so no memory is allocated per
 * datagram.  Fields of a v1 header that linklog does not use are checked
 * no more strictly than net-snmp does (a Gauge32 time-stamp, an OCTET
 * STRING agent address pass).
 */
#ifndef LINKLOG_DECODE_H
#define LINKLOG_DECODE_H

#include <stddef.h>
#include <stdint.h>

#define TRAP_COMMUNITY_MAX 256

enum decode_status {
	DECODE_OK,
	DECODE_MALFORMED,       /* not valid BER / not an SNMP message */
	DECODE_UNSUPPORTED,     /* SNMPv3, or a PDU that is not a notification */
};

struct trap {
	int version;                    /* 1, 2 (v2c), or 3 (SNMPv3: only
	                                 * the version was read) */
	unsigned pdu;                   /* the PDU's BER tag (0xa4 v1 trap,
	                                 * 0xa7 v2 trap, 0xa6 inform, ...);
	                                 * 0 if not reached */
	int inform;                     /* an InformRequest: answer it */
	long request_id;                /* of a v2c PDU */
	/* The address the trap claims: v1 agent-addr, or v2c
	 * snmpTrapAddress.0 (the last one); not 0.0.0.0.  Network byte
	 * order. */
	int has_agent;
	uint8_t agent[4];
	/* The varbind list as received, its header included (for the
	 * Response to an inform): points into the datagram. */
	const unsigned char *varbinds;
	size_t varbinds_len;
	size_t community_len;
	unsigned char community[TRAP_COMMUNITY_MAX];
};

/* One OCTET STRING varbind's value: a pointer into the datagram. */
struct span {
	const char *text;
	size_t len;
};

/*
 * The most strings a datagram can carry: a varbind takes at least 7
 * bytes (SEQUENCE, an OID of one byte, an empty OCTET STRING, each with
 * its tag and length).  A caller's array of this size always suffices.
 */
#define DECODE_MAX_STRINGS (65536 / 7 + 1)

/* Must be called once before decode_trap(): keeps net-snmp silent. */
void decode_init(void);

/*
 * Decode buf into trap and, when the whole datagram is valid
 * (DECODE_OK), the spans of its OCTET STRING varbinds in order (at most
 * max; *nspans of them; 0 on any other status).  On DECODE_UNSUPPORTED,
 * trap->version and trap->pdu say what it was.  Decoding never
 * allocates.
 */
enum decode_status decode_trap(const unsigned char *buf, size_t len,
    struct trap *trap, struct span *spans, size_t max, size_t *nspans);

/*
 * The Response-PDU that acknowledges the inform trap was decoded from
 * (RFC 3416, 4.2.7): same version, community, request-id and varbinds,
 * error-status and error-index 0.  The datagram trap points into must
 * still be there.  It is never longer than the inform (shortest length
 * encodings).  Returns its length in buf, 0 if it does not fit.
 */
size_t decode_inform_response(const struct trap *trap, unsigned char *buf,
    size_t size);

/* The name of a PDU tag for messages: "GetRequest", "Report", ... */
const char *decode_pdu_name(unsigned pdu);

#endif
