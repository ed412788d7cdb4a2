/*
 * report.h - warnings about what senders send that linklog cannot use:
 * malformed datagrams, SNMPv3, PDUs that are not notifications, log
 * messages that do not parse.
 *
 * Each kind is reported at most once a minute per sender, with the count
 * of the ones not reported since; over all senders at most REPORT_CAP
 * reports a minute are written, and the number held back beyond that is
 * reported once the minute is over, so a flood of junk from many
 * addresses cannot flood the log.  The sender table is fixed in size.
 */
#ifndef LINKLOG_REPORT_H
#define LINKLOG_REPORT_H

#include <sys/socket.h>
#include <time.h>

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
void report_free(struct reporter *r);

/*
 * One occurrence of kind from sa at now (seconds).  detail (may be NULL)
 * completes the message: the PDU's name, or the escaped text.  Returns 1
 * if it was written, 0 if it was only counted.
 */
int report(struct reporter *r, enum report_kind kind,
    const struct sockaddr *sa, time_t now, const char *detail);

#endif
