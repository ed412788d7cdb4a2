/*
 * trapgen.c - trap datagrams built by net-snmp's own encoder (snmp_build),
 * as snmptrap(1) would send them: v1 with enterprise, agent address and
 * generic/specific trap; v2c with sysUpTime.0 and snmpTrapOID.0 first.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <arpa/inet.h>
#include <string.h>

#include "trapgen.h"

static const oid linksys[] = { 1, 3, 6, 1, 4, 1, 3955 };
static const oid message_oid[] = { 1, 3, 6, 1, 4, 1, 3955, 1, 1 };
static const oid sysuptime_oid[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const oid trapoid_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid trapaddr_oid[] = { 1, 3, 6, 1, 6, 3, 18, 1, 3, 0 };

size_t
trapgen_build(int version, const char *community, const char *const *strings,
    size_t n, unsigned char *buf, size_t size)
{
	return trapgen_build_ex(version, 0, 0, community, NULL, strings, n,
	    buf, size);
}

size_t
trapgen_build_ex(int version, int inform, long reqid, const char *community,
    const char *agent, const char *const *strings, size_t n,
    unsigned char *buf, size_t size)
{
	struct in_addr agent_addr = { htonl(INADDR_LOOPBACK) };
	netsnmp_session sess;
	netsnmp_pdu *pdu;
	u_char *pkt;
	size_t pkt_len = size, offset = 0, len = 0;
	u_long uptime = 4242;

	memset(&sess, 0, sizeof(sess));
	sess.version = version == 1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
	sess.community = (u_char *)community;
	sess.community_len = strlen(community);
	if (agent != NULL && inet_pton(AF_INET, agent, &agent_addr) != 1)
		return 0;
	pdu = snmp_pdu_create(version == 1 ? SNMP_MSG_TRAP :
	    inform ? SNMP_MSG_INFORM : SNMP_MSG_TRAP2);
	if (pdu == NULL)
		return 0;
	pdu->version = sess.version;
	pdu->reqid = reqid;
	if (version == 1) {
		pdu->enterprise = snmp_duplicate_objid(linksys,
		    OID_LENGTH(linksys));
		pdu->enterprise_length = OID_LENGTH(linksys);
		pdu->trap_type = SNMP_TRAP_ENTERPRISESPECIFIC;
		pdu->specific_type = 1;
		pdu->time = uptime;
		memcpy(pdu->agent_addr, &agent_addr, 4);
	} else {
		snmp_pdu_add_variable(pdu, sysuptime_oid,
		    OID_LENGTH(sysuptime_oid), ASN_TIMETICKS,
		    &uptime, sizeof(uptime));
		snmp_pdu_add_variable(pdu, trapoid_oid, OID_LENGTH(trapoid_oid),
		    ASN_OBJECT_ID, linksys, sizeof(linksys));
		if (agent != NULL)
			snmp_pdu_add_variable(pdu, trapaddr_oid,
			    OID_LENGTH(trapaddr_oid), ASN_IPADDRESS,
			    &agent_addr, 4);
	}
	for (size_t i = 0; i < n; i++)
		snmp_pdu_add_variable(pdu, message_oid, OID_LENGTH(message_oid),
		    ASN_OCTET_STR, strings[i], strlen(strings[i]));
	/* Ask snmp_build() for its reverse encoding, which fills a buffer
	 * from the end (reallocating it if needed), then copy the result. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_REVERSE_ENCODE, 1);
	pkt_len = 65536 + 1024;
	pkt = malloc(pkt_len);
	if (pkt != NULL && snmp_build(&pkt, &pkt_len, &offset, &sess, pdu) == 0 &&
	    offset <= size) {
		memcpy(buf, pkt + pkt_len - offset, offset);
		len = offset;
	}
	free(pkt);
	snmp_free_pdu(pdu);
	return len;
}

const unsigned char trapgen_snmpv3[] = {
	0x30, 0x3e, 0x02, 0x01, 0x03, 0x30, 0x11, 0x02, 0x04, 0x12,
	0x34, 0x56, 0x78, 0x02, 0x03, 0x00, 0xff, 0xe3, 0x04, 0x01,
	0x04, 0x02, 0x01, 0x03, 0x04, 0x10, 0x30, 0x0e, 0x04, 0x00,
	0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00,
	0x04, 0x00, 0x30, 0x13, 0x04, 0x00, 0x04, 0x00, 0xa0, 0x0d,
	0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30,
	0x02, 0x30, 0x00, 0x00,
};
const size_t trapgen_snmpv3_len = sizeof(trapgen_snmpv3);
