/*
 * decode.h - turn one UDP datagram into the strings of an SNMP trap.
 *
 * Accepts SNMPv1 Trap-PDUs and SNMPv2c SNMPv2-Trap-PDUs; everything else is
 * rejected.  Decoding is done by net-snmp's BER layer (the functions its
 * snmp_pdu_parse() is built from) directly on the caller's buffer, so no
 * memory is allocated per datagram.
 */
#ifndef LINKLOG_DECODE_H
#define LINKLOG_DECODE_H

#include <stddef.h>

#define TRAP_COMMUNITY_MAX 256

enum decode_status {
	DECODE_OK,
	DECODE_MALFORMED,       /* not valid BER / not an SNMP message */
	DECODE_UNSUPPORTED,     /* SNMPv3, or a PDU that is not a trap */
	DECODE_REJECTED,        /* valid, but the accept function said no */
};

struct trap {
	int version;                    /* 1 or 2 (for v2c) */
	size_t community_len;
	unsigned char community[TRAP_COMMUNITY_MAX];
};

typedef void decode_string_fn(void *arg, const char *text, size_t len);
typedef int decode_accept_fn(void *arg, const struct trap *trap);

/* Must be called once before decode_trap(): keeps net-snmp silent. */
void decode_init(void);

/*
 * Decode buf.  Only when the whole datagram is valid, and accept (if not
 * NULL) returns true for its header, call fn once for every OCTET STRING
 * varbind, in order, with a pointer into buf.
 */
enum decode_status decode_trap(const unsigned char *buf, size_t len,
    struct trap *trap, decode_accept_fn *accept, decode_string_fn *fn,
    void *arg);

#endif
