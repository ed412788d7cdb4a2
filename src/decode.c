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

#include <stddef.h>
#include <string.h>

#include "decode.h"

/* snmpTrapAddress.0 (SNMP-COMMUNITY-MIB): the address a v2c trap claims. */
static const oid trap_address_oid[] = { 1, 3, 6, 1, 6, 3, 18, 1, 3, 0 };

void
decode_init(void)
{
	/* net-snmp logs parse errors to stderr by default; we count them. */
	snmp_disable_log();
}

/*
 * The fields of a v1 Trap-PDU before its varbinds.  As in net-snmp's
 * snmp_pdu_parse(), the types are only those its asn_parse_* functions
 * insist on: an agent address sent as an OCTET STRING or a time-stamp
 * sent as a Gauge32 passes (snmptrapd logs such traps too).
 */
static u_char *
skip_v1_trap_header(u_char *p, size_t *len, struct trap *trap)
{
	oid enterprise[MAX_OID_LEN];
	size_t enterprise_len = MAX_OID_LEN, addr_len = 4;
	u_char type, addr[4];
	long l;
	u_long ul;

	p = asn_parse_objid(p, len, &type, enterprise, &enterprise_len);
	if (p == NULL)
		return NULL;
	p = asn_parse_string(p, len, &type, addr, &addr_len);
	if (p == NULL)
		return NULL;
	/* 0.0.0.0 is what agents send when they do not know. */
	if (addr_len == 4 && (addr[0] | addr[1] | addr[2] | addr[3]) != 0) {
		trap->has_agent = 1;
		memcpy(trap->agent, addr, 4);
	}
	p = asn_parse_int(p, len, &type, &l, sizeof(l));       /* generic */
	if (p == NULL)
		return NULL;
	p = asn_parse_int(p, len, &type, &l, sizeof(l));       /* specific */
	if (p == NULL)
		return NULL;
	return asn_parse_unsigned_int(p, len, &type, &ul, sizeof(ul));
}

/* request-id, error-status, error-index of a v2 PDU. */
static u_char *
skip_v2_trap_header(u_char *p, size_t *len, struct trap *trap)
{
	u_char type;
	long l;

	for (int i = 0; i < 3; i++) {
		p = asn_parse_int(p, len, &type, &l, sizeof(l));
		if (p == NULL || type != ASN_INTEGER)
			return NULL;
		if (i == 0)
			trap->request_id = l;
	}
	return p;
}

/* SNMPv3 has no community after the version: read the version alone. */
static int
is_snmpv3(const unsigned char *buf, size_t buflen)
{
	u_char *p, type;
	size_t len = buflen;
	long version;

	p = asn_parse_sequence((u_char *)buf, &len, &type,
	    ASN_SEQUENCE | ASN_CONSTRUCTOR, "message");
	if (p == NULL)
		return 0;
	p = asn_parse_int(p, &len, &type, &version, sizeof(version));
	return p != NULL && version == SNMP_VERSION_3;
}

/* The header up to the varbinds; sets version, pdu and the rest. */
static enum decode_status
walk_header(u_char **pp, size_t *len, struct trap *trap)
{
	u_char *p = *pp, type;
	long version;

	trap->community_len = sizeof(trap->community);
	p = snmp_comstr_parse(p, len, trap->community, &trap->community_len,
	    &version);
	if (p == NULL)
		return DECODE_MALFORMED;
	if (version == SNMP_VERSION_1)
		trap->version = 1;
	else if (version == SNMP_VERSION_2c)
		trap->version = 2;
	else
		return DECODE_UNSUPPORTED;

	p = asn_parse_header(p, len, &type);
	if (p == NULL)
		return DECODE_MALFORMED;
	trap->pdu = type;
	if (trap->version == 1 && type == SNMP_MSG_TRAP) {
		p = skip_v1_trap_header(p, len, trap);
	} else if (trap->version == 2 && (type == SNMP_MSG_TRAP2 ||
	    type == SNMP_MSG_INFORM)) {
		trap->inform = type == SNMP_MSG_INFORM;
		p = skip_v2_trap_header(p, len, trap);
	} else {
		return DECODE_UNSUPPORTED;
	}
	if (p == NULL)
		return DECODE_MALFORMED;
	*pp = p;
	return DECODE_OK;
}

/* A v2c trap's snmpTrapAddress.0, if it carries one. */
static void
note_agent(struct trap *trap, const oid *name, size_t name_len, u_char type,
    const u_char *val, size_t vlen)
{
	if (trap->version != 2 || type != ASN_IPADDRESS || vlen != 4 ||
	    snmp_oid_compare(name, name_len, trap_address_oid,
	    OID_LENGTH(trap_address_oid)) != 0)
		return;
	/* 0.0.0.0: the agent does not know, as in a v1 agent-addr. */
	if ((val[0] | val[1] | val[2] | val[3]) == 0) {
		trap->has_agent = 0;
		return;
	}
	trap->has_agent = 1;
	memcpy(trap->agent, val, 4);
}

/* Every OCTET STRING varbind into spans, in order; the whole datagram must
 * be valid before any of them is used. */
static enum decode_status
walk(const unsigned char *buf, size_t buflen, struct trap *trap,
    struct span *spans, size_t max, size_t *nspans)
{
	u_char *p = (u_char *)buf, type, *val, *start;
	size_t len = buflen, vlen, name_len;
	enum decode_status st;
	oid name[MAX_OID_LEN];

	memset(trap, 0, offsetof(struct trap, community));
	*nspans = 0;
	if (is_snmpv3(buf, buflen)) {
		trap->version = 3;
		return DECODE_UNSUPPORTED;
	}
	if ((st = walk_header(&p, &len, trap)) != DECODE_OK)
		return st;
	start = p;
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
		note_agent(trap, name, name_len, type, p - vlen, vlen);
		if (type != ASN_OCTET_STR)
			continue;
		/* More strings than a datagram can hold: not SNMP. */
		if (*nspans == max)
			return DECODE_MALFORMED;
		spans[*nspans].text = (const char *)(p - vlen);
		spans[(*nspans)++].len = vlen;
	}
	trap->varbinds = start;
	trap->varbinds_len = (size_t)(p - start);
	return DECODE_OK;
}

enum decode_status
decode_trap(const unsigned char *buf, size_t len, struct trap *trap,
    struct span *spans, size_t max, size_t *nspans)
{
	enum decode_status st = walk(buf, len, trap, spans, max, nspans);

	if (st != DECODE_OK)
		*nspans = 0;
	return st;
}

/*
 * The parts of the Response are built apart and put together with the
 * shortest length encodings (not the fixed 4-byte ones snmp_build() uses):
 * every part is then no longer than the inform's, so a Response is never
 * longer than the inform it answers, and answering cannot amplify.
 */
size_t
decode_inform_response(const struct trap *trap, unsigned char *buf,
    size_t size)
{
	u_char head[TRAP_COMMUNITY_MAX + 16], ids[48], pduhdr[8], *p;
	size_t left, head_len, ids_len, pduhdr_len, pdu_len, total;
	long version = SNMP_VERSION_2c, zero = 0, id = trap->request_id;

	left = sizeof(head);
	p = asn_build_int(head, &left, ASN_INTEGER, &version, sizeof(version));
	if (p != NULL)
		p = asn_build_string(p, &left, ASN_OCTET_STR, trap->community,
		    trap->community_len);
	if (p == NULL)
		return 0;
	head_len = (size_t)(p - head);
	left = sizeof(ids);
	p = asn_build_int(ids, &left, ASN_INTEGER, &id, sizeof(id));
	for (int i = 0; i < 2 && p != NULL; i++)       /* error-status, -index */
		p = asn_build_int(p, &left, ASN_INTEGER, &zero, sizeof(zero));
	if (p == NULL)
		return 0;
	ids_len = (size_t)(p - ids);
	pdu_len = ids_len + trap->varbinds_len;
	left = sizeof(pduhdr);
	if (pdu_len > 0xffff || (p = asn_build_header(pduhdr, &left,
	    SNMP_MSG_RESPONSE, pdu_len)) == NULL)
		return 0;
	pduhdr_len = (size_t)(p - pduhdr);
	total = head_len + pduhdr_len + pdu_len;
	left = size;
	if (total > 0xffff || (p = asn_build_header(buf, &left,
	    ASN_SEQUENCE | ASN_CONSTRUCTOR, total)) == NULL || left < total)
		return 0;
	memcpy(p, head, head_len);
	p += head_len;
	memcpy(p, pduhdr, pduhdr_len);
	p += pduhdr_len;
	memcpy(p, ids, ids_len);
	p += ids_len;
	memcpy(p, trap->varbinds, trap->varbinds_len);
	p += trap->varbinds_len;
	return (size_t)(p - buf);
}

const char *
decode_pdu_name(unsigned pdu)
{
	switch (pdu) {
	case SNMP_MSG_GET: return "GetRequest";
	case SNMP_MSG_GETNEXT: return "GetNextRequest";
	case SNMP_MSG_RESPONSE: return "Response";
	case SNMP_MSG_SET: return "SetRequest";
	case SNMP_MSG_TRAP: return "v1 Trap";
	case SNMP_MSG_GETBULK: return "GetBulkRequest";
	case SNMP_MSG_INFORM: return "InformRequest";
	case SNMP_MSG_TRAP2: return "SNMPv2-Trap";
	case SNMP_MSG_REPORT: return "Report";
	}
	return "unknown PDU";
}
