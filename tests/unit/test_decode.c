/* Unit tests for trap decoding (src/decode.c) on datagrams built by
 * net-snmp's own encoder, and on broken ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/snmp_impl.h>

#include "decode.h"
#include "trapgen.h"

static char seen[8][128];
static int nseen;

static void
collect(void *arg, const char *text, size_t len)
{
	(void)arg;
	if (nseen < 8 && len < sizeof(seen[0])) {
		memcpy(seen[nseen], text, len);
		seen[nseen][len] = '\0';
	}
	nseen++;
}

static unsigned char buf[70000];

/* decode_trap(), and every span it returns through collect(). */
static enum decode_status
decode(const unsigned char *b, size_t len, struct trap *t)
{
	static struct span spans[DECODE_MAX_STRINGS];
	size_t n = 12345;
	enum decode_status st = decode_trap(b, len, t, spans,
	    DECODE_MAX_STRINGS, &n);

	if (st != DECODE_OK)
		assert_int_equal(n, 0);
	for (size_t i = 0; i < n; i++)
		collect(NULL, spans[i].text, spans[i].len);
	return st;
}

static size_t
build(int version, const char *community, const char *const *s, size_t n)
{
	size_t len = trapgen_build(version, community, s, n, buf, sizeof(buf));

	assert_true(len > 0);
	return len;
}

static void
v1_and_v2c(void **state)
{
	const char *s[] = { "@in TCP from 1.2.3.4:5 to 6.7.8.9:22", "second" };
	struct trap t;

	(void)state;
	for (int v = 1; v <= 2; v++) {
		size_t len = build(v, "public", s, 2);
		nseen = 0;
		assert_int_equal(decode(buf, len, &t),
		    DECODE_OK);
		assert_int_equal(t.version, v);
		assert_int_equal(t.community_len, 6);
		assert_memory_equal(t.community, "public", 6);
		assert_int_equal(nseen, 2);
		assert_string_equal(seen[0], s[0]);
		assert_string_equal(seen[1], s[1]);
	}
}

static void
every_truncation_is_malformed(void **state)
{
	const char *s[] = { "@in TCP from 1.2.3.4:5 to 6.7.8.9:22" };
	size_t len = build(2, "public", s, 1);
	struct trap t;

	(void)state;
	for (size_t cut = 0; cut < len; cut++) {
		nseen = 0;
		assert_int_not_equal(decode(buf, cut, &t),
		    DECODE_OK);
		/* A broken datagram yields no string at all. */
		assert_int_equal(nseen, 0);
	}
}

/* Nor is an inform ever acknowledged half read: every cut is refused. */
static void
every_truncated_inform_is_malformed(void **state)
{
	const char *s[] = { "@in TCP from 1.2.3.4:5 to 6.7.8.9:22" };
	size_t len = trapgen_build_ex(2, 1, 77, "public", "10.0.0.9", s, 1,
	    buf, sizeof(buf));
	struct trap t;

	(void)state;
	assert_true(len > 0);
	for (size_t cut = 0; cut < len; cut++) {
		nseen = 0;
		assert_int_not_equal(decode(buf, cut, &t), DECODE_OK);
		assert_int_equal(nseen, 0);
	}
	nseen = 0;
	assert_int_equal(decode(buf, len, &t), DECODE_OK);
	assert_true(t.inform);
	assert_int_equal(nseen, 1);
}

static void
wrong_pdu_types(void **state)
{
	const char *s[] = { "x" };
	size_t len = build(2, "public", s, 1);
	struct trap t;
	size_t at;

	(void)state;
	/* Find the PDU tag (0xa7) and make it a GetRequest (0xa0). */
	for (at = 0; at < len && buf[at] != 0xa7; at++)
		;
	assert_true(at < len);
	buf[at] = 0xa0;
	assert_int_equal(decode(buf, len, &t),
	    DECODE_UNSUPPORTED);
	assert_int_equal(t.version, 2);
	assert_int_equal(t.pdu, 0xa0);
	/* Response, Report: not notifications either. */
	buf[at] = 0xa2;
	assert_int_equal(decode(buf, len, &t),
	    DECODE_UNSUPPORTED);
	buf[at] = 0xa8;
	assert_int_equal(decode(buf, len, &t),
	    DECODE_UNSUPPORTED);
	/* A v1 trap tag in a v2c message. */
	buf[at] = 0xa4;
	assert_int_not_equal(decode(buf, len, &t),
	    DECODE_OK);
}

static void
snmpv3_is_unsupported(void **state)
{
	struct trap t;

	(void)state;
	nseen = 0;
	assert_int_equal(decode(trapgen_snmpv3, trapgen_snmpv3_len, &t),
	    DECODE_UNSUPPORTED);
	assert_int_equal(t.version, 3);
	assert_int_equal(nseen, 0);
}

/* A v1 Trap-PDU put together by hand, with chosen field types. */
static size_t
v1_by_hand(unsigned char *b, unsigned char atype, size_t alen,
    unsigned char ttype)
{
	static const unsigned char ent[] = { 0x06, 0x07, 0x2b, 0x06, 0x01,
	    0x04, 0x01, 0x9f, 0x73 };
	static const char msg[] = "@in TCP from 1.2.3.4:5 to 6.7.8.9:22";
	unsigned char pdu[200];
	size_t n = 0, m = 0;

	memcpy(pdu, ent, sizeof(ent));
	n = sizeof(ent);
	pdu[n++] = atype;
	pdu[n++] = (unsigned char)alen;
	memcpy(pdu + n, "\x0a\x01\x02\x03\x04", alen);
	n += alen;
	memcpy(pdu + n, "\x02\x01\x06\x02\x01\x01", 6);   /* generic, specific */
	n += 6;
	pdu[n++] = ttype;
	memcpy(pdu + n, "\x02\x10\x92", 3);                    /* time-stamp */
	n += 3;
	pdu[n++] = 0x30;                                        /* varbinds */
	pdu[n++] = (unsigned char)(sizeof(msg) - 1 + 15);
	pdu[n++] = 0x30;
	pdu[n++] = (unsigned char)(sizeof(msg) - 1 + 13);
	memcpy(pdu + n, "\x06\x09\x2b\x06\x01\x04\x01\x9f\x73\x01\x01", 11);
	n += 11;
	pdu[n++] = 0x04;
	pdu[n++] = sizeof(msg) - 1;
	memcpy(pdu + n, msg, sizeof(msg) - 1);
	n += sizeof(msg) - 1;
	b[m++] = 0x30;
	b[m++] = (unsigned char)(n + 13);
	memcpy(b + m, "\x02\x01\x00\x04\x06public\xa4", 12);
	m += 12;
	b[m++] = (unsigned char)n;
	memcpy(b + m, pdu, n);
	return m + n;
}

/* What net-snmp's snmp_pdu_parse() makes of a datagram: 0 if it accepts. */
static int
net_snmp_verdict(const unsigned char *b, size_t len)
{
	size_t plen = len, clen;
	u_char community[256], *p;
	long version;
	netsnmp_pdu *pdu;
	int rc;

	clen = sizeof(community);
	p = snmp_comstr_parse((u_char *)b, &plen, community, &clen, &version);
	if (p == NULL)
		return -1;
	pdu = snmp_pdu_create(0);
	rc = snmp_pdu_parse(pdu, p, &plen);
	snmp_free_pdu(pdu);
	return rc;
}

/*
 * Fields of the v1 header that linklog does not use are checked as
 * net-snmp checks them, no more: snmptrapd logs these traps.
 */
static void
v1_header_as_lenient_as_net_snmp(void **state)
{
	static const struct {
		unsigned char atype;
		size_t alen;
		unsigned char ttype;
		int ok, agent;
	} cases[] = {
		{ ASN_IPADDRESS, 4, ASN_TIMETICKS, 1, 1 },
		{ ASN_OCTET_STR, 4, ASN_TIMETICKS, 1, 1 },     /* agent as string */
		{ ASN_OCTET_STR, 0, ASN_TIMETICKS, 1, 0 },
		{ ASN_IPADDRESS, 4, ASN_GAUGE, 1, 1 },         /* Gauge32 time */
		{ ASN_IPADDRESS, 4, ASN_COUNTER, 1, 1 },
		{ ASN_OCTET_STR, 5, ASN_TIMETICKS, 0, 0 },
		{ ASN_INTEGER, 4, ASN_TIMETICKS, 0, 0 },
		{ ASN_IPADDRESS, 4, ASN_INTEGER, 0, 0 },
		{ ASN_IPADDRESS, 4, ASN_OCTET_STR, 0, 0 },
	};
	unsigned char b[300];
	struct trap t;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = v1_by_hand(b, cases[i].atype, cases[i].alen,
		    cases[i].ttype);
		int ours;

		nseen = 0;
		ours = decode(b, len, &t) == DECODE_OK;
		assert_int_equal(net_snmp_verdict(b, len) == 0, cases[i].ok);
		if (ours != cases[i].ok)
			fail_msg("case %zu: decode says %d", i, ours);
		assert_int_equal(nseen, cases[i].ok);
		if (!cases[i].ok)
			continue;
		assert_string_equal(seen[0], "@in TCP from 1.2.3.4:5 to 6.7.8.9:22");
		assert_int_equal(t.has_agent, cases[i].agent);
		if (cases[i].agent)
			assert_memory_equal(t.agent, "\x0a\x01\x02\x03", 4);
	}
}

/* %g: v1 agent-addr (but 0.0.0.0), v2c snmpTrapAddress.0. */
static void
claimed_agent_address(void **state)
{
	const char *s[] = { "x" };
	struct trap t;
	size_t len;

	(void)state;
	len = trapgen_build_ex(1, 0, 0, "public", "192.0.2.9", s, 1, buf,
	    sizeof(buf));
	assert_int_equal(decode(buf, len, &t), DECODE_OK);
	assert_true(t.has_agent);
	assert_memory_equal(t.agent, "\xc0\x00\x02\x09", 4);
	len = trapgen_build_ex(1, 0, 0, "public", "0.0.0.0", s, 1, buf,
	    sizeof(buf));
	assert_int_equal(decode(buf, len, &t), DECODE_OK);
	assert_false(t.has_agent);
	len = trapgen_build_ex(2, 0, 0, "public", "198.51.100.3", s, 1, buf,
	    sizeof(buf));
	assert_int_equal(decode(buf, len, &t), DECODE_OK);
	assert_true(t.has_agent);
	assert_memory_equal(t.agent, "\xc6\x33\x64\x03", 4);
	len = trapgen_build_ex(2, 0, 0, "public", NULL, s, 1, buf, sizeof(buf));
	assert_int_equal(decode(buf, len, &t), DECODE_OK);
	assert_false(t.has_agent);
	/* 0.0.0.0 says "unknown" in v2c too: %g is then the sender. */
	len = trapgen_build_ex(2, 0, 0, "public", "0.0.0.0", s, 1, buf,
	    sizeof(buf));
	assert_int_equal(decode(buf, len, &t), DECODE_OK);
	assert_false(t.has_agent);
}

/*
 * An InformRequest decodes like a v2c trap; its Response, built here, is
 * what net-snmp's own parser reads as the acknowledgement (RFC 3416,
 * 4.2.7): same request-id and varbinds, error-status and -index 0.
 */
static void
inform_and_its_response(void **state)
{
	const char *s[] = { "@in TCP from 1.2.3.4:5 to 6.7.8.9:22", "two" };
	static unsigned char resp[70000], small[70000];
	size_t len, rlen, plen, clen;
	u_char community[256], *p;
	netsnmp_pdu *pdu, *orig;
	struct trap t;
	long version;

	(void)state;
	len = trapgen_build_ex(2, 1, 0x5a5a1234, "sesame", "10.0.0.9", s, 2,
	    buf, sizeof(buf));
	assert_true(len > 0);
	nseen = 0;
	assert_int_equal(decode(buf, len, &t),
	    DECODE_OK);
	assert_true(t.inform);
	assert_int_equal(t.request_id, 0x5a5a1234);
	assert_int_equal(nseen, 2);
	assert_string_equal(seen[0], s[0]);
	assert_true(t.has_agent);
	rlen = decode_inform_response(&t, resp, sizeof(resp));
	assert_true(rlen > 0);
	assert_int_equal(decode_inform_response(&t, small, rlen - 1), 0);
	plen = rlen;
	clen = sizeof(community);
	p = snmp_comstr_parse(resp, &plen, community, &clen, &version);
	assert_non_null(p);
	assert_int_equal(version, SNMP_VERSION_2c);
	assert_int_equal(clen, 6);
	assert_memory_equal(community, "sesame", 6);
	pdu = snmp_pdu_create(0);
	assert_int_equal(snmp_pdu_parse(pdu, p, &plen), 0);
	assert_int_equal(plen, 0);
	assert_int_equal(pdu->command, SNMP_MSG_RESPONSE);
	assert_int_equal(pdu->reqid, 0x5a5a1234);
	assert_int_equal(pdu->errstat, 0);
	assert_int_equal(pdu->errindex, 0);
	/* The varbinds are the inform's, one for one. */
	plen = len;
	clen = sizeof(community);
	p = snmp_comstr_parse(buf, &plen, community, &clen, &version);
	orig = snmp_pdu_create(0);
	assert_int_equal(snmp_pdu_parse(orig, p, &plen), 0);
	for (netsnmp_variable_list *a = pdu->variables, *b = orig->variables;
	    a || b; a = a->next_variable, b = b->next_variable) {
		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(snmp_oid_compare(a->name, a->name_length,
		    b->name, b->name_length), 0);
		assert_int_equal(a->type, b->type);
		assert_int_equal(a->val_len, b->val_len);
		assert_memory_equal(a->val.string, b->val.string, a->val_len);
	}
	snmp_free_pdu(pdu);
	snmp_free_pdu(orig);
}

/*
 * An inform encoded with the shortest lengths (not net-snmp's fixed 4-byte
 * ones), an empty one, one with a long community (two-byte lengths): each
 * Response is a valid one, and never longer than the inform, so a forged
 * sender address gains nothing by having linklog answer it.
 */
static void
response_never_longer_than_inform(void **state)
{
	static const char msg[] = "@in TCP from 1.2.3.4:5 to 6.7.8.9:22";
	static const unsigned char oid[] = { 0x06, 0x09, 0x2b, 0x06, 0x01,
	    0x04, 0x01, 0x9f, 0x73, 0x01, 0x01 };
	unsigned char b[600], resp[700], vb[100], pdu[200];
	size_t clens[] = { 1, 6, 200 };

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		for (int with_vb = 0; with_vb < 2; with_vb++) {
			size_t clen = clens[k], n = 0, m = 0, v = 0, body, rlen;
			size_t plen, cl;
			u_char community[256], *p;
			netsnmp_pdu *r;
			struct trap t;
			long version;

			if (with_vb) {
				vb[v++] = 0x30;
				vb[v++] = (unsigned char)(sizeof(oid) + 2 +
				    sizeof(msg) - 1);
				memcpy(vb + v, oid, sizeof(oid));
				v += sizeof(oid);
				vb[v++] = 0x04;
				vb[v++] = sizeof(msg) - 1;
				memcpy(vb + v, msg, sizeof(msg) - 1);
				v += sizeof(msg) - 1;
			}
			memcpy(pdu, "\x02\x01\x07\x02\x01\x00\x02\x01\x00\x30",
			    10);
			n = 10;
			pdu[n++] = (unsigned char)v;
			memcpy(pdu + n, vb, v);
			n += v;
			body = 3 + 2 + (clen > 127) + clen + 2 + n;
			b[m++] = 0x30;
			if (body > 255) {
				b[m++] = 0x82;
				b[m++] = (unsigned char)(body >> 8);
			} else if (body > 127) {
				b[m++] = 0x81;
			}
			b[m++] = (unsigned char)body;
			memcpy(b + m, "\x02\x01\x01\x04", 4);
			m += 4;
			if (clen > 127)
				b[m++] = 0x81;
			b[m++] = (unsigned char)clen;
			memset(b + m, 'c', clen);
			m += clen;
			b[m++] = 0xa6;
			b[m++] = (unsigned char)n;
			memcpy(b + m, pdu, n);
			m += n;
			assert_int_equal(decode(b, m, &t),
			    DECODE_OK);
			assert_true(t.inform);
			rlen = decode_inform_response(&t, resp, sizeof(resp));
			assert_true(rlen > 0);
			assert_true(rlen <= m);
			plen = rlen;
			cl = sizeof(community);
			p = snmp_comstr_parse(resp, &plen, community, &cl,
			    &version);
			assert_non_null(p);
			assert_int_equal(cl, clen);
			r = snmp_pdu_create(0);
			assert_int_equal(snmp_pdu_parse(r, p, &plen), 0);
			assert_int_equal(plen, 0);
			assert_int_equal(r->command, SNMP_MSG_RESPONSE);
			assert_int_equal(r->reqid, 7);
			assert_int_equal(r->variables != NULL, with_vb);
			snmp_free_pdu(r);
		}
	}
}

static void
pdu_names(void **state)
{
	(void)state;
	assert_string_equal(decode_pdu_name(0xa0), "GetRequest");
	assert_string_equal(decode_pdu_name(0xa8), "Report");
	assert_string_equal(decode_pdu_name(0xbf), "unknown PDU");
}

static void
junk(void **state)
{
	static const unsigned char zero[1], ones[64] = { 0xff, 0xff, 0xff };
	static const unsigned char huge_len[] = { 0x30, 0x84, 0x7f, 0xff, 0xff,
	    0xff, 0x02, 0x01, 0x00 };
	struct trap t;

	(void)state;
	assert_int_equal(decode(zero, 0, &t),
	    DECODE_MALFORMED);
	assert_int_equal(decode(zero, 1, &t),
	    DECODE_MALFORMED);
	assert_int_equal(decode(ones, sizeof(ones), &t),
	    DECODE_MALFORMED);
	assert_int_equal(decode(huge_len, sizeof(huge_len), &t), DECODE_MALFORMED);
}

static void
large_string(void **state)
{
	static char big[60001];
	const char *s[] = { big };
	struct trap t;
	size_t len;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	len = build(1, "public", s, 1);
	assert_true(len > 60000);
	nseen = 0;
	assert_int_equal(decode(buf, len, &t), DECODE_OK);
	assert_int_equal(nseen, 1);
}

static void
many_strings_in_order(void **state)
{
	static char text[40][8];
	const char *s[40];
	struct trap t;
	size_t len;

	(void)state;
	for (int i = 0; i < 40; i++) {
		snprintf(text[i], sizeof(text[i]), "s%d", i);
		s[i] = text[i];
	}
	/* More strings than the decoder notes on its first walk. */
	len = build(2, "public", s, 40);
	nseen = 0;
	assert_int_equal(decode(buf, len, &t),
	    DECODE_OK);
	assert_int_equal(nseen, 40);
	assert_string_equal(seen[0], "s0");
	assert_string_equal(seen[7], "s7");
	len = build(1, "public", s, 5);
	nseen = 0;
	assert_int_equal(decode(buf, len, &t),
	    DECODE_OK);
	assert_int_equal(nseen, 5);
	assert_string_equal(seen[4], "s4");
}

/*
 * The decoder walks the BER with net-snmp's own functions instead of
 * calling snmp_pdu_parse() (which allocates); on the same datagrams both
 * must agree, string for string.
 */
static void
agrees_with_snmp_pdu_parse(void **state)
{
	const char *s[] = { "@in TCP from 203.0.113.7:51234 to 192.168.1.20:22",
	    "", "second string", "@out UDP from a(1.2.3.4):5 to 6.7.8.9:53" };
	struct trap t;

	(void)state;
	for (int v = 1; v <= 2; v++) {
		for (size_t n = 1; n <= 4; n++) {
			size_t len = build(v, "public", s, n), plen = len, clen;
			u_char community[256], *p;
			long version;
			netsnmp_pdu *pdu;
			int i = 0;

			nseen = 0;
			assert_int_equal(decode(buf, len, &t), DECODE_OK);
			clen = sizeof(community);
			p = snmp_comstr_parse(buf, &plen, community, &clen,
			    &version);
			assert_non_null(p);
			pdu = snmp_pdu_create(0);
			assert_int_equal(snmp_pdu_parse(pdu, p, &plen), 0);
			assert_int_equal(pdu->command,
			    v == 1 ? SNMP_MSG_TRAP : SNMP_MSG_TRAP2);
			for (netsnmp_variable_list *vb = pdu->variables; vb;
			    vb = vb->next_variable) {
				if (vb->type != ASN_OCTET_STR)
					continue;
				assert_true(i < nseen);
				assert_int_equal(strlen(seen[i]), vb->val_len);
				assert_memory_equal(seen[i], vb->val.string,
				    vb->val_len);
				i++;
			}
			assert_int_equal(i, nseen);
			assert_int_equal((size_t)nseen, n);
			snmp_free_pdu(pdu);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v1_and_v2c),
		cmocka_unit_test(every_truncation_is_malformed),
		cmocka_unit_test(every_truncated_inform_is_malformed),
		cmocka_unit_test(wrong_pdu_types),
		cmocka_unit_test(snmpv3_is_unsupported),
		cmocka_unit_test(v1_header_as_lenient_as_net_snmp),
		cmocka_unit_test(claimed_agent_address),
		cmocka_unit_test(inform_and_its_response),
		cmocka_unit_test(response_never_longer_than_inform),
		cmocka_unit_test(pdu_names),
		cmocka_unit_test(junk),
		cmocka_unit_test(large_string),
		cmocka_unit_test(many_strings_in_order),
		cmocka_unit_test(agrees_with_snmp_pdu_parse),
	};
	decode_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
