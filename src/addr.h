/*
 * addr.h - fast text forms of addresses, shared by filter and render;
 * and the rule that tells a host name from an address in disguise.
 */
#ifndef LINKLOG_ADDR_H
#define LINKLOG_ADDR_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
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

/*
 * Whether a host name could be read as an address: its last label is all
 * digits (RFC 1123 2.1: a top-level domain is never numeric) or the whole
 * name parses as one (inet_aton's forms: "10.0.0.1", "12345",
 * "0x7f000001", "10.1"; or IPv6), or it begins with an address that the
 * rest does not make a name of ("10.0.0.1:80", "[10.0.0.1]",
 * "10.0.0.1/32", "10.0.0.1.."; not "1.2.3.4.static.example").  Such a
 * name is never shown as a host,
 * whether a PTR answer or a router's message carries it: it would let
 * whoever controls it pose as another address.
 */
int addr_like_name(const char *name);

/*
 * A sender as a table key: its family and 16 address bytes (zero-padded),
 * an IPv4-mapped IPv6 address as the IPv4 it is, so one router is one key
 * whichever socket its datagram came in on.
 */
void addr_key(const struct sockaddr *sa, uint8_t *family, uint8_t addr[16]);

#endif
