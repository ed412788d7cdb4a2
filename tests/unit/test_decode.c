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
		assert_int_equal(decode_trap(buf, len, &t, NULL, collect, NULL),
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
		assert_int_not_equal(decode_trap(buf, cut, &t, NULL, collect, NULL),
		    DECODE_OK);
		/* A broken datagram yields no string at all. */
		assert_int_equal(nseen, 0);
	}
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
	assert_int_equal(decode_trap(buf, len, &t, NULL, collect, NULL),
	    DECODE_UNSUPPORTED);
	/* A v1 trap tag in a v2c message. */
	buf[at] = 0xa4;
	assert_int_not_equal(decode_trap(buf, len, &t, NULL, collect, NULL),
	    DECODE_OK);
}

static void
snmpv3_is_unsupported(void **state)
{
	/* The start of an SNMPv3 message: version 3, then msgGlobalData. */
	static const unsigned char v3[] = {
		0x30, 0x3e, 0x02, 0x01, 0x03, 0x30, 0x11, 0x02, 0x04, 0x12,
		0x34, 0x56, 0x78, 0x02, 0x03, 0x00, 0xff, 0xe3, 0x04, 0x01,
		0x04, 0x02, 0x01, 0x03, 0x04, 0x10, 0x30, 0x0e, 0x04, 0x00,
		0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00,
		0x04, 0x00, 0x30, 0x13, 0x04, 0x00, 0x04, 0x00, 0xa0, 0x0d,
		0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30,
		0x02, 0x30, 0x00, 0x00,
	};
	struct trap t;

	(void)state;
	assert_int_not_equal(decode_trap(v3, sizeof(v3), &t, NULL, collect, NULL),
	    DECODE_OK);
}

static void
junk(void **state)
{
	static const unsigned char zero[1], ones[64] = { 0xff, 0xff, 0xff };
	static const unsigned char huge_len[] = { 0x30, 0x84, 0x7f, 0xff, 0xff,
	    0xff, 0x02, 0x01, 0x00 };
	struct trap t;

	(void)state;
	assert_int_equal(decode_trap(zero, 0, &t, NULL, collect, NULL),
	    DECODE_MALFORMED);
	assert_int_equal(decode_trap(zero, 1, &t, NULL, collect, NULL),
	    DECODE_MALFORMED);
	assert_int_equal(decode_trap(ones, sizeof(ones), &t, NULL, collect, NULL),
	    DECODE_MALFORMED);
	assert_int_equal(decode_trap(huge_len, sizeof(huge_len), &t, NULL, collect,
	    NULL), DECODE_MALFORMED);
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
	assert_int_equal(decode_trap(buf, len, &t, NULL, collect, NULL), DECODE_OK);
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
	assert_int_equal(decode_trap(buf, len, &t, NULL, collect, NULL),
	    DECODE_OK);
	assert_int_equal(nseen, 40);
	assert_string_equal(seen[0], "s0");
	assert_string_equal(seen[7], "s7");
	len = build(1, "public", s, 5);
	nseen = 0;
	assert_int_equal(decode_trap(buf, len, &t, NULL, collect, NULL),
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
			assert_int_equal(decode_trap(buf, len, &t, NULL, collect,
			    NULL), DECODE_OK);
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
		cmocka_unit_test(wrong_pdu_types),
		cmocka_unit_test(snmpv3_is_unsupported),
		cmocka_unit_test(junk),
		cmocka_unit_test(large_string),
		cmocka_unit_test(many_strings_in_order),
		cmocka_unit_test(agrees_with_snmp_pdu_parse),
	};
	decode_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
