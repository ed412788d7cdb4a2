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

#endif
