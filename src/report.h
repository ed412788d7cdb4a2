/*
 * report.h - warnings about what senders send that linklog cannot use:
 * malformed datagrams, SNMPv3, PDUs that are not notifications, log
 * messages that do not parse.
 *
 * Each kind is reported at most once a minute per sender, with the count
 * of the ones not reported since; over all senders at most REPORT_CAP
 * reports a minute are written, so a flood of junk from many addresses
 * cannot flood the log.  Nothing is only counted: what a sender's report
 * has not carried a minute after it (the sender fell silent, the cap held
 * it back, or the sender left the table) is written in one summary line
 * a minute by report_tick().  The sender table is fixed in size and keyed
 * (keyhash.h), so chosen addresses cannot push a sender out of it.
 */
#ifndef LINKLOG_REPORT_H
#define LINKLOG_REPORT_H

#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "decode.h"

#define REPORT_INTERVAL 60
#define REPORT_CAP 20

enum report_kind {
	REPORT_MALFORMED,       /* not an SNMP message */
	REPORT_SNMPV3,          /* SNMPv3: configure v2c or v1 instead */
	REPORT_PDU,             /* a PDU that is not a trap or inform */
	REPORT_UNPARSED,        /* "@in "/"@out " text that did not parse */
	REPORT_KINDS
};

struct reporter;

struct reporter *report_new(void);
/* Writes the summary of what no report has said yet, then frees r. */
void report_free(struct reporter *r);

/*
 * One occurrence of kind from sa at now (seconds).  detail (may be NULL)
 * completes the message: the PDU's name, or the escaped text.  Returns 1
 * if it was written, 0 if it was only counted.
 */
int report(struct reporter *r, enum report_kind kind,
    const struct sockaddr *sa, time_t now, const char *detail);

/* A datagram decode_trap() refused (st: malformed or unsupported), as
 * the report of its kind: what it was, for unsupported ones. */
void report_unusable(struct reporter *r, enum decode_status st,
    const struct trap *trap, const struct sockaddr *sa, time_t now);

/* Write the summary of what no report carried, when it is due (at most
 * once a minute); cheap to call often: works at most once a second. */
void report_tick(struct reporter *r, time_t now);

/* ms until report_tick() may have something to write; -1: nothing
 * waits.  now_ms on the same clock as report()'s seconds. */
int report_timeout_ms(const struct reporter *r, uint64_t now_ms);

#endif
