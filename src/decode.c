/*
 * decode.c - SNMP trap decoding with net-snmp's ASN.1/BER functions.
 *
 * snmp_pdu_parse() would allocate a PDU and every varbind on the heap; the
 * receive path must not allocate, so we walk the message with the same
 * net-snmp primitives (snmp_comstr_parse, asn_parse_*, snmp_parse_var_op)
 * that it uses, over the datagram in place.  A datagram broken half-way
 * through must yield no event at all, so the strings are only handed out
 * once the whole datagram has been validated: the first walk notes where
 * they are (up to NOTED of them; a datagram with more is walked again).
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/snmp_impl.h>

#include "decode.h"

#define NOTED 32

struct noted {
	size_t n;
	int overflow;
	const char *text[NOTED];
	size_t len[NOTED];
};

void
decode_init(void)
{
	/* net-snmp logs parse errors to stderr by default; we count them. */
	snmp_disable_log();
}

/* The fields of a v1 Trap-PDU before its varbinds. */
static u_char *
skip_v1_trap_header(u_char *p, size_t *len)
{
	oid enterprise[MAX_OID_LEN];
	size_t enterprise_len = MAX_OID_LEN, addr_len = 4;
	u_char type, addr[4];
	long l;
	u_long ul;

	p = asn_parse_objid(p, len, &type, enterprise, &enterprise_len);
	if (p == NULL || type != ASN_OBJECT_ID)
		return NULL;
	p = asn_parse_string(p, len, &type, addr, &addr_len);
	if (p == NULL || type != ASN_IPADDRESS)
		return NULL;
	p = asn_parse_int(p, len, &type, &l, sizeof(l));       /* generic */
	if (p == NULL || type != ASN_INTEGER)
		return NULL;
	p = asn_parse_int(p, len, &type, &l, sizeof(l));       /* specific */
	if (p == NULL || type != ASN_INTEGER)
		return NULL;
	p = asn_parse_unsigned_int(p, len, &type, &ul, sizeof(ul));
	if (p == NULL || type != ASN_TIMETICKS)
		return NULL;
	return p;
}

/* request-id, error-status, error-index of a v2 PDU. */
static u_char *
skip_v2_trap_header(u_char *p, size_t *len)
{
	u_char type;
	long l;

	for (int i = 0; i < 3; i++) {
		p = asn_parse_int(p, len, &type, &l, sizeof(l));
		if (p == NULL || type != ASN_INTEGER)
			return NULL;
	}
	return p;
}

/* With fn NULL, note the strings in *nt instead of handing them out. */
static enum decode_status
walk(const unsigned char *buf, size_t buflen, struct trap *trap,
    decode_string_fn *fn, void *arg, struct noted *nt)
{
	u_char *p = (u_char *)buf, type, *val;
	size_t len = buflen, vlen, name_len;

	long version;
	oid name[MAX_OID_LEN];

	trap->community_len = sizeof(trap->community);
	p = snmp_comstr_parse(p, &len, trap->community, &trap->community_len,
	    &version);
	if (p == NULL)
		return DECODE_MALFORMED;
	if (version == SNMP_VERSION_1)
		trap->version = 1;
	else if (version == SNMP_VERSION_2c)
		trap->version = 2;
	else
		return DECODE_UNSUPPORTED;

	p = asn_parse_header(p, &len, &type);
	if (p == NULL)
		return DECODE_MALFORMED;
	if (trap->version == 1 && type == SNMP_MSG_TRAP)
		p = skip_v1_trap_header(p, &len);
	else if (trap->version == 2 && type == SNMP_MSG_TRAP2)
		p = skip_v2_trap_header(p, &len);
	else
		return DECODE_UNSUPPORTED;
	if (p == NULL)
		return DECODE_MALFORMED;

	p = asn_parse_sequence(p, &len, &type, ASN_SEQUENCE | ASN_CONSTRUCTOR,
	    "varbinds");
	if (p == NULL)
		return DECODE_MALFORMED;
	while (len > 0) {
		name_len = MAX_OID_LEN;
		p = snmp_parse_var_op(p, name, &name_len, &type, &vlen, &val,
		    &len);
		if (p == NULL)
			return DECODE_MALFORMED;
		if (type != ASN_OCTET_STR)
			continue;
		if (fn != NULL) {
			fn(arg, (const char *)(p - vlen), vlen);
		} else if (nt->n < NOTED) {
			nt->text[nt->n] = (const char *)(p - vlen);
			nt->len[nt->n++] = vlen;
		} else {
			nt->overflow = 1;
		}
	}
	return DECODE_OK;
}

enum decode_status
decode_trap(const unsigned char *buf, size_t len, struct trap *trap,
    decode_accept_fn *accept, decode_string_fn *fn, void *arg)
{
	enum decode_status st;
	struct noted nt;

	nt.n = 0;
	nt.overflow = 0;
	st = walk(buf, len, trap, NULL, NULL, &nt);
	if (st != DECODE_OK)
		return st;
	if (accept != NULL && !accept(arg, trap))
		return DECODE_REJECTED;
	if (fn == NULL)
		return st;
	if (nt.overflow)
		return walk(buf, len, trap, fn, arg, NULL);
	for (size_t i = 0; i < nt.n; i++)
		fn(arg, nt.text[i], nt.len[i]);
	return st;
}
