/*
 * services.h - port number to service name, from the services database.
 *
 * The database is read once, when names are first needed (at start, or
 * at the reload that turns show_port_numbers off), into a sorted table;
 * a lookup is a binary search, never a file read or an allocation.
 */
#ifndef LINKLOG_SERVICES_H
#define LINKLOG_SERVICES_H

#include <stdint.h>

#include "event.h"

/* Load the table; returns the number of entries, or -1 on memory error. */
int services_load(void);

/*
 * The service name for port/proto, or NULL if there is none.  For
 * PROTO_UNKNOWN (older firmware forms), the name /etc/services gives the
 * port for TCP, UDP or both alike; none when the two differ.
 */
const char *services_name(uint16_t port, enum protocol proto);

/* Whether the table is loaded (a reload may need it). */
int services_loaded(void);
void services_free(void);

#endif
