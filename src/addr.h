/*
 * addr.h - fast text forms of addresses, shared by filter and render.
 */
#ifndef LINKLOG_ADDR_H
#define LINKLOG_ADDR_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

#define ADDR_IPV4_LEN 16        /* "255.255.255.255" + NUL */
#define ADDR_TEXT_LEN 46        /* INET6_ADDRSTRLEN */

/* Dotted quad of a (network order); returns its length. */
size_t addr_format_ipv4(struct in_addr a, char *buf);

/*
 * Text form of a socket address without the port; an IPv4-mapped IPv6
 * address is written as IPv4.  Returns its length.
 */
size_t addr_format(const struct sockaddr *sa, char *buf, size_t size);

#endif
