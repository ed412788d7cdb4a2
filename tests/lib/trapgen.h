/*
 * trapgen.h - build SNMP trap datagrams with net-snmp, for the unit tests,
 * the fuzzing seeds and the load generator.
 */
#ifndef LINKLOG_TRAPGEN_H
#define LINKLOG_TRAPGEN_H

#include <stddef.h>

/*
 * Encode a trap of version 1 or 2 (v2c) carrying each of the n strings as
 * an OCTET STRING varbind.  Returns the datagram's length, 0 on failure.
 */
size_t trapgen_build(int version, const char *community,
    const char *const *strings, size_t n, unsigned char *buf, size_t size);

/*
 * The same with more choices: inform (v2c InformRequest with request-id
 * reqid instead of a trap) and agent, the address the trap claims (v1
 * agent-addr, or a v2c snmpTrapAddress.0 varbind; NULL: 127.0.0.1 in v1,
 * none in v2c).
 */
size_t trapgen_build_ex(int version, int inform, long reqid,
    const char *community, const char *agent, const char *const *strings,
    size_t n, unsigned char *buf, size_t size);

/* The start of an SNMPv3 message (version 3, then msgGlobalData), which
 * net-snmp here cannot encode without a user: decoded as unsupported. */
extern const unsigned char trapgen_snmpv3[];
extern const size_t trapgen_snmpv3_len;

#endif
