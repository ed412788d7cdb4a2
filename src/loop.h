/*
 * loop.h - the event loop: descriptors, timers, before-sleep hooks and
 * the program's one clock, in the manner of redis's ae.c.
 *
 * Each module that waits for something registers itself: a descriptor
 * with the function to call when it is ready, a timer (one-shot, armed
 * and re-armed at an absolute time), or a hook called before every
 * sleep (to flush, or to set its timer from its own state).  One round:
 * the hooks, poll(2) until the first timer, the ready descriptors in
 * the order they were registered, then the timers that are due,
 * earliest first.  A registration removed during a round is never
 * called after it, so a callback may free what another registered (a
 * reload does).  Fixed in size; nothing is allocated after loop_new().
 */
#ifndef LINKLOG_LOOP_H
#define LINKLOG_LOOP_H

#include <stdint.h>

#define LOOP_MAX_FDS 160        /* sockets, resolver's, signals */
#define LOOP_MAX_TIMERS 16
#define LOOP_MAX_HOOKS 8

struct loop;

/* fd is ready for events (POLLIN, POLLOUT; POLLERR/POLLHUP as ready). */
typedef void loop_fd_fn(void *arg, int fd, short revents);
/* now: loop_now() when the round's timers were run. */
typedef void loop_timer_fn(void *arg, uint64_t now);
typedef void loop_hook_fn(void *arg, uint64_t now);

struct loop *loop_new(void);
void loop_free(struct loop *l);

/* The program's clock: ms on CLOCK_MONOTONIC (a step of the wall clock
 * stretches no wait). */
uint64_t loop_now(void);

/* Returns 0, or -1 when the table is full. */
int loop_fd_add(struct loop *l, int fd, short events, loop_fd_fn *fn,
    void *arg);
/* Change what fd waits for. */
void loop_fd_events(struct loop *l, int fd, short events);
void loop_fd_del(struct loop *l, int fd);

/* A timer, disarmed; returns its id, or -1 when the table is full. */
int loop_timer_new(struct loop *l, loop_timer_fn *fn, void *arg);
/* Arm id for when (ms, loop_now()'s clock); 0 disarms it. */
void loop_timer_at(struct loop *l, int id, uint64_t when);
void loop_timer_free(struct loop *l, int id);
/* Arm id ms after now, or disarm it when ms < 0: a module's "ms until
 * something is due; -1: nothing" turned into its timer. */
void loop_timer_in(struct loop *l, int id, uint64_t now, int ms);

/* The sooner of two such time-outs (-1: none). */
int loop_sooner(int a, int b);

/* Called before every sleep, in the order added; returns its id or -1. */
int loop_hook_add(struct loop *l, loop_hook_fn *fn, void *arg);
void loop_hook_del(struct loop *l, int id);

/* One round; returns -1 if poll(2) failed (errno), else 0. */
int loop_once(struct loop *l);

/* Rounds until loop_stop(); returns 0, or -1 if poll(2) failed. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif
